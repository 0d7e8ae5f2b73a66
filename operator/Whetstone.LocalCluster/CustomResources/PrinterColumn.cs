namespace Whetstone.LocalCluster.CustomResources;

/// <summary>An additionalPrinterColumns entry.</summary>
internal sealed record PrinterColumn(string Name, string Type, string Format, string Description, int Priority, string JsonPath);
