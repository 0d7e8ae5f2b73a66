using System.Text.Json.Nodes;

namespace Whetstone.LocalCluster.CustomResources;

/// <summary>What one served version of a custom resource adds to its <see cref="Resources.ResourceType"/>.</summary>
internal sealed record CustomResourceVersion(
    string CrdName,
    JsonObject? OpenApiSchema,
    CustomResourceSchema? Schema,
    IReadOnlyList<PrinterColumn> PrinterColumns);
