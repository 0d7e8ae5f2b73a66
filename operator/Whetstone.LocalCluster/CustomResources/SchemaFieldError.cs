namespace Whetstone.LocalCluster.CustomResources;

/// <summary>One validation error as Kubernetes reports it in a Status cause.</summary>
internal sealed record SchemaFieldError(string Field, string Reason, string Message);
