using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Evaluation;
using Whetstone.Operator.Preflight;
using Whetstone.Operator.Tests.FineTuning;
using Whetstone.Operator.Tests.Workers;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.Tests.Evaluation;

/// <summary>Builders for EvaluationRuns, their observed worker pods and their plans.</summary>
internal static class EvaluationRuns
{
    public static EvaluationRun New(string name = "support-eval", EvaluationModel? model = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "team-a", Uid = "uid-evr", Generation = 1 },
        Spec = new EvaluationRunSpec
        {
            Model = model ?? new EvaluationModel { Uri = "file:///models/tiny/", Name = "support-bot" },
            Suites = [new EvaluationSuite { Name = "domain", Type = SuiteTypes.MultipleChoice, Dataset = new DatasetSource { Uri = "file:///data/eval.jsonl" } }],
            RunPolicy = new RunPolicy { BackoffLimit = 2 },
            Output = new OutputLocation { Uri = "file:///out/" },
        },
    };

    public static EvaluationRun WithStatus(this EvaluationRun run, string phase, int attempts, string? verdict = null, IList<GateResult>? gates = null) => run with
    {
        Status = new EvaluationRunStatus { Phase = phase, Attempts = attempts, WorkerPod = WorkerPodBuilder.PodName(run.Metadata.Name, attempts), Verdict = verdict, Gates = gates },
    };

    public static V1Pod Pod(EvaluationRun run, int attempt, string phase, string? terminationMessage = null) =>
        ObservedWorkerPods.Pod(new WorkerPodRequest(run, EvaluationRunKind.Instance.Subcommand, attempt, run.Spec.Resources, run.Spec.QueueName, null), phase,
            terminationMessage: terminationMessage);

    public static WorkerJobPlan<EvaluationRunStatus> Plan(EvaluationRun run, ReferenceState references, params V1Pod[] pods) =>
        WorkerJobPlanner<EvaluationRun, EvaluationRunStatus>.Plan(run, pods, references, PreflightVerdict.Pass("inputs checked"), FineTuneJobs.Now,
            FineTuneJobs.Options, EvaluationRunKind.Instance);
}
