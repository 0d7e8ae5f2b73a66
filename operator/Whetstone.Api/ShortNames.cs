namespace Whetstone.Api;

/// <summary>The short name of each kind, for <c>kubectl get ftj</c> and friends.</summary>
public static class ShortNames
{
    /// <summary>Short name of <see cref="Kinds.FineTuneJob"/>.</summary>
    public const string FineTuneJob = "ftj";

    /// <summary>Short name of <see cref="Kinds.CompressionJob"/>.</summary>
    public const string CompressionJob = "cpj";

    /// <summary>Short name of <see cref="Kinds.EvaluationRun"/>.</summary>
    public const string EvaluationRun = "evr";

    /// <summary>Short name of <see cref="Kinds.ModelRollout"/>.</summary>
    public const string ModelRollout = "mro";
}
