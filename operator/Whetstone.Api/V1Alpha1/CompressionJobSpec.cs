using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Which model to compress, the steps in order, and how close the result must stay to the original.</summary>
[CelRule("!has(self.steps) || self.steps.all(s, !has(s.quantize) || !has(s.quantize.mode) || s.quantize.mode != 'static') || has(self.calibrationDataset)",
    Message = "static quantization needs calibrationDataset", FieldPath = ".calibrationDataset", Reason = "FieldValueRequired")]
public sealed record CompressionJobSpec : IWorkerJobSpec
{
    /// <summary>The model to compress (the teacher, for distillation).</summary>
    [Required]
    public ModelSource SourceModel { get; set; } = new();

    /// <summary>Steps applied in order; each step's output feeds the next.</summary>
    [Required]
    [Items(Min = 1, Max = 16)]
    public IList<CompressionStep> Steps { get; set; } = [];

    /// <summary>Records for static quantization's activation ranges.</summary>
    public DatasetSource? CalibrationDataset { get; set; }

    /// <summary>Records for precision alignment; omitted with a fineTuneJobRef source: that job's test split.</summary>
    public DatasetSource? EvaluationDataset { get; set; }

    /// <summary>How close the compressed model must stay to the original.</summary>
    public Alignment? Alignment { get; set; }

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
