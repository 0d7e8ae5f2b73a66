namespace Whetstone.Evaluation.Reports;

/// <summary>How the report names a model, and where it came from.</summary>
public sealed record ModelIdentity(string? Name, string? Version, string? Vendor, string Uri, string? Digest)
{
    /// <summary>"name version (vendor)" with whatever is known.</summary>
    public string Display => string.Join(' ', new[] { Name, Version, Vendor is null ? null : $"({Vendor})" }.Where(s => !string.IsNullOrEmpty(s))) is { Length: > 0 } text ? text : Uri;
}
