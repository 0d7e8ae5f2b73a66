namespace Whetstone.Api;

/// <summary>The resource (plural) name of each kind, as it appears in REST paths and CRD names.</summary>
public static class Plurals
{
    /// <summary>Plural of <see cref="Kinds.FineTuneJob"/>.</summary>
    public const string FineTuneJobs = "finetunejobs";

    /// <summary>Plural of <see cref="Kinds.CompressionJob"/>.</summary>
    public const string CompressionJobs = "compressionjobs";

    /// <summary>Plural of <see cref="Kinds.EvaluationRun"/>.</summary>
    public const string EvaluationRuns = "evaluationruns";

    /// <summary>Plural of <see cref="Kinds.ModelRollout"/>.</summary>
    public const string ModelRollouts = "modelrollouts";
}
