namespace Whetstone.Datasets.Generation;

/// <summary>The customer-specific values of one conversation.</summary>
internal sealed record Slots(string Name, (string Name, decimal Price, int WarrantyYears) Product, string Order);
