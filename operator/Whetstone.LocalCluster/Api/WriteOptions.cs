namespace Whetstone.LocalCluster.Api;

/// <summary>Query options shared by create, update and patch.</summary>
internal sealed record WriteOptions(bool DryRun, string FieldManager, FieldValidation FieldValidation, bool Force)
{
    public static WriteOptions Default { get; } = new(false, "unknown", FieldValidation.Warn, false);
}
