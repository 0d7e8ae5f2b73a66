using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>What to fine-tune, on which data, how, and where to put the result.</summary>
public sealed record FineTuneJobSpec : IWorkerJobSpec
{
    /// <summary>The default of <see cref="CheckpointEverySteps"/>, the CRD default and the worker's.</summary>
    public const int DefaultCheckpointEverySteps = 200;

    /// <summary>The model to adapt.</summary>
    [Required]
    public ModelSource BaseModel { get; set; } = new();

    /// <summary>The raw dataset, its cleaning and its split.</summary>
    [Required]
    public FineTuneDataset Dataset { get; set; } = new();

    /// <summary>LoRA (default) or Full.</summary>
    public FineTuneMethod? Method { get; set; }

    /// <summary>Training hyperparameters.</summary>
    public Hyperparameters? Hyperparameters { get; set; }

    /// <summary>Stop when the validation loss stops improving.</summary>
    public EarlyStopping? EarlyStopping { get; set; }

    /// <summary>Fail fast when the loss diverges.</summary>
    public Divergence? Divergence { get; set; }

    /// <summary>Write a checkpoint every this many optimizer steps (a suspended or retried job resumes from the last).</summary>
    [Range(Minimum = 1)]
    [DefaultValue(DefaultCheckpointEverySteps)]
    public int? CheckpointEverySteps { get; set; }

    /// <summary>What the worker pod asks for and where it may run.</summary>
    public WorkerResources? Resources { get; set; }

    /// <summary>Kueue LocalQueue; when set, the worker pod carries the label <c>kueue.x-k8s.io/queue-name</c>.</summary>
    [Length(Max = 63)]
    [Pattern(Patterns.Dns1123Label)]
    public string? QueueName { get; set; }

    /// <summary>Retries, deadline, clean-up and suspension.</summary>
    public RunPolicy? RunPolicy { get; set; }

    /// <summary>Where to write the artifacts; omitted: the operator's default artifact prefix.</summary>
    public OutputLocation? Output { get; set; }

    /// <summary>Prices for the cost estimate and the actual cost in status.</summary>
    public CostSettings? Cost { get; set; }
}
