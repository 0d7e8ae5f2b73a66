namespace Whetstone.Datasets;

/// <summary>
/// Preparation options are invalid. The message starts with the api.md field path, e.g.
/// <c>spec.dataset.split: train + validation + test must sum to 1 (got 0.95)</c>.
/// </summary>
public sealed class DatasetOptionsException : Exception
{
    /// <summary>Creates the exception for <paramref name="field"/>.</summary>
    public DatasetOptionsException(string field, string reason)
        : base($"{field}: {reason}")
    {
        Field = field;
        Reason = reason;
    }

    /// <summary>The api.md field path, e.g. <c>spec.dataset.split</c>.</summary>
    public string Field { get; }

    /// <summary>What is wrong, without the field prefix.</summary>
    public string Reason { get; }
}
