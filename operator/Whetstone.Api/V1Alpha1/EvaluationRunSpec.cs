using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>The model, its baseline, the suites to run and the gates that decide the verdict.</summary>
[CelRule("!has(self.gates) || !has(self.suites) || self.gates.all(g, self.suites.exists(s, s.name == g.suite))",
    Message = "every gate must name a suite of this run", FieldPath = ".gates", Order = 0)]
[CelRule("!has(self.gates) || has(self.baseline) || self.gates.all(g, !has(g.maxRegression))",
    Message = "maxRegression gates need spec.baseline", FieldPath = ".baseline", Reason = "FieldValueRequired", Order = 1)]
public sealed record EvaluationRunSpec : IWorkerJobSpec
{
    /// <summary>The model to evaluate, and how the report names it.</summary>
    [Required]
    public EvaluationModel Model { get; set; } = new();

    /// <summary>The model to compare with (usually the one in production); every suite runs on both.</summary>
    public EvaluationModel? Baseline { get; set; }

    /// <summary>The suites to run, unique by name.</summary>
    [Required]
    [Items(Min = 1, Max = 32)]
    [ListMapKeys("name")]
    public IList<EvaluationSuite> Suites { get; set; } = [];

    /// <summary>Check the test data against the training data.</summary>
    public ContaminationCheck? Contamination { get; set; }

    /// <summary>Thresholds that decide the verdict; none: the verdict is Passed when every suite ran.</summary>
    [Items(Max = 64)]
    public IList<EvaluationGate>? Gates { get; set; }

    /// <summary>What the worker pod asks for and where it may run.</summary>
    public WorkerResources? Resources { get; set; }

    /// <summary>Kueue LocalQueue; when set, the worker pod carries the label <c>kueue.x-k8s.io/queue-name</c>.</summary>
    [Length(Max = 63)]
    [Pattern(Patterns.Dns1123Label)]
    public string? QueueName { get; set; }

    /// <summary>Retries, deadline, clean-up and suspension.</summary>
    public RunPolicy? RunPolicy { get; set; }

    /// <summary>Where to write the report; omitted: the operator's default artifact prefix.</summary>
    public OutputLocation? Output { get; set; }

    /// <summary>Prices for the cost estimate and the actual cost in status.</summary>
    public CostSettings? Cost { get; set; }
}
