using k8s;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Worker.Evaluation;

/// <summary>
/// Merge-patches the worker-owned fields (verdict, scores, gates, contamination, report) onto the EvaluationRun's
/// status subresource, the same mechanism as the finetune command; phase and conditions stay the operator's.
/// </summary>
internal sealed class EvaluationClusterStatusSink(IKubernetes client, string runNamespace, string runName) : IEvaluationStatusSink
{
    public async Task WriteAsync(EvaluationRunStatus status, CancellationToken cancellationToken)
    {
        var patch = new
        {
            status = new
            {
                verdict = status.Verdict,
                scores = status.Scores,
                gates = status.Gates,
                contamination = status.Contamination,
                report = status.Report,
            },
        };
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(KubernetesJson.Serialize(patch), V1Patch.PatchType.MergePatch),
            WhetstoneApi.Group, WhetstoneApi.Version, runNamespace, Plurals.EvaluationRuns, runName,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
