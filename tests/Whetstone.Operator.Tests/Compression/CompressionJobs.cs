using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Api.Workers;
using Whetstone.Operator.Compression;
using Whetstone.Operator.Preflight;
using Whetstone.Operator.Tests.FineTuning;
using Whetstone.Operator.Tests.Workers;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.Tests.Compression;

/// <summary>Builders for CompressionJobs, their observed worker pods and their plans.</summary>
internal static class CompressionJobs
{
    public static CompressionJob New(string name = "support-int8", ModelSource? source = null, RunPolicy? runPolicy = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "team-a", Uid = "uid-cpj", Generation = 1 },
        Spec = new CompressionJobSpec
        {
            SourceModel = source ?? new ModelSource { Uri = "file:///models/tiny/" },
            Steps = [new CompressionStep { Quantize = new QuantizeStep { Type = QuantizationTypes.Int8 } }, new CompressionStep { Convert = new ConvertStep { Format = ConversionFormats.Onnx } }],
            EvaluationDataset = new DatasetSource { Uri = "file:///data/eval.jsonl", Format = DatasetFormats.MultipleChoice },
            RunPolicy = runPolicy ?? new RunPolicy { BackoffLimit = 2 },
            Output = new OutputLocation { Uri = "file:///out/" },
        },
    };

    public static CompressionJob WithStatus(this CompressionJob job, string phase, int attempts, CompressionResults? results = null) => job with
    {
        Status = new CompressionJobStatus { Phase = phase, Attempts = attempts, WorkerPod = WorkerPodBuilder.PodName(job.Metadata.Name, attempts), Results = results },
    };

    public static V1Pod Pod(CompressionJob job, int attempt, string phase, string? terminationMessage = null) =>
        ObservedWorkerPods.Pod(new WorkerPodRequest(job, CompressionJobKind.Instance.Subcommand, attempt, job.Spec.Resources, job.Spec.QueueName, null), phase,
            terminationMessage: terminationMessage);

    public static string Failure(string reason, string message) => new WorkerTerminationMessage { Reason = reason, Message = message }.ToJson();

    public static WorkerJobPlan<CompressionJobStatus> Plan(CompressionJob job, ReferenceState references, params V1Pod[] pods) =>
        WorkerJobPlanner<CompressionJob, CompressionJobStatus>.Plan(job, pods, references, PreflightVerdict.Pass("inputs checked"), FineTuneJobs.Now,
            FineTuneJobs.Options, CompressionJobKind.Instance);

    public static string? Condition(this IWorkerJobStatus status, string type) =>
        status.Conditions?.FirstOrDefault(c => c.Type == type) is { } c ? $"{c.Status}/{c.Reason}" : null;
}
