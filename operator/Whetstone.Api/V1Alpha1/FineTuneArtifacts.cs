namespace Whetstone.Api.V1Alpha1;

/// <summary>What a FineTuneJob wrote.</summary>
public sealed record FineTuneArtifacts
{
    /// <summary>
    /// The job generation whose spec produced these artifacts (written by the worker); after a spec edit the outputs of
    /// each generation live under their own <c>&lt;output&gt;/&lt;uid&gt;/g&lt;generation&gt;/</c> folder.
    /// </summary>
    public long? Generation { get; set; }

    /// <summary>The merged model, loadable as <c>format: whetstone</c>.</summary>
    public ArtifactRef? Model { get; set; }

    /// <summary>The LoRA adapter alone (type LoRA only).</summary>
    public ArtifactRef? Adapter { get; set; }

    /// <summary>The cleaned dataset version with its train / validation / test splits.</summary>
    public ArtifactRef? Dataset { get; set; }

    /// <summary>The held-out test split, for an EvaluationRun.</summary>
    public ArtifactRef? TestSplit { get; set; }

    /// <summary>The full loss curve (JSON Lines of step, trainLoss, validationLoss).</summary>
    public ArtifactRef? LossCurve { get; set; }

    /// <summary>The latest checkpoint, from which a suspended or retried job resumes.</summary>
    public ArtifactRef? Checkpoint { get; set; }
}
