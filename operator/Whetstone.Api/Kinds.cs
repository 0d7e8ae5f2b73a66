namespace Whetstone.Api;

/// <summary>The <c>kind</c> of each Whetstone custom resource.</summary>
public static class Kinds
{
    /// <summary>Adapts a base model to a domain with a curated dataset.</summary>
    public const string FineTuneJob = "FineTuneJob";

    /// <summary>Makes a model smaller and faster, then proves it still matches the original.</summary>
    public const string CompressionJob = "CompressionJob";

    /// <summary>Scores a model against held-out data and a baseline.</summary>
    public const string EvaluationRun = "EvaluationRun";

    /// <summary>Ships a model version to real traffic step by step.</summary>
    public const string ModelRollout = "ModelRollout";
}
