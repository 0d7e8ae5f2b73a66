namespace Whetstone.LocalCluster.Api;

/// <summary>DeleteOptions from the query string and body.</summary>
internal sealed record DeleteRequest(bool DryRun, string? PropagationPolicy, string? PreconditionUid, string? PreconditionResourceVersion);
