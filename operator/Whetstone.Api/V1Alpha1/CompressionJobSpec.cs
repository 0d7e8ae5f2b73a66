using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Which model to compress, the steps in order, and how close the result must stay to the original.</summary>
[CelRule("!has(self.steps) || self.steps.all(s, !has(s.quantize) || !has(s.quantize.mode) || s.quantize.mode != 'static') || has(self.calibrationDataset)",
    Message = "static quantization needs calibrationDataset", FieldPath = ".calibrationDataset", Reason = "FieldValueRequired", Order = 0)]
[CelRule("!has(self.calibrationDataset) || !has(self.evaluationDataset) || !("
    + "(has(self.calibrationDataset.uri) && has(self.evaluationDataset.uri) && self.calibrationDataset.uri == self.evaluationDataset.uri) || "
    + "(has(self.calibrationDataset.fineTuneJobRef) && has(self.evaluationDataset.fineTuneJobRef) "
    + "&& self.calibrationDataset.fineTuneJobRef.name == self.evaluationDataset.fineTuneJobRef.name "
    + "&& (has(self.calibrationDataset.split) ? self.calibrationDataset.split : 'test') == (has(self.evaluationDataset.split) ? self.evaluationDataset.split : 'test')))",
    Message = "calibrationDataset must not be the evaluationDataset: calibrating on the data alignment is measured on hides what quantization lost",
    FieldPath = ".calibrationDataset", Order = 1)]
[CelRule("!has(self.steps) || size(self.steps.filter(s, has(s.quantize))) <= 1",
    Message = "at most one quantize step: a quantized model cannot be quantized again", FieldPath = ".steps", Order = 2)]
// Pruning and distillation change the weights of the Whetstone model; quantize and convert turn it into an ONNX graph.
// Step indexes come from a fixed list (steps has at most 16 items) because CEL has no index-aware macro everywhere.
[CelRule("!has(self.steps) || [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14].all(i, i >= size(self.steps) || !(has(self.steps[i].quantize) || has(self.steps[i].convert)) || [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15].all(j, j <= i || j >= size(self.steps) || !(has(self.steps[j].prune) || has(self.steps[j].distill))))",
    Message = "prune and distill steps must come before quantize and convert steps: after quantize or convert the model is an ONNX graph",
    FieldPath = ".steps", Order = 3)]
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
