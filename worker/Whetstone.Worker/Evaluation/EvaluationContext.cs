using k8s;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Worker.Evaluation;

/// <summary>One evaluate attempt: the run, its uid, scratch folder, the task file's folder (standalone) and the API client (pod mode).</summary>
internal sealed record EvaluationContext(EvaluationRun Run, string Uid, string WorkDirectory, string? TaskDirectory, IKubernetes? Cluster = null)
{
    /// <summary>The generation whose spec this attempt runs (null standalone when the task file has none).</summary>
    public long? Generation => Run.Metadata.Generation;

    /// <summary>Where outputs go under the output prefix: <c>&lt;uid&gt;/g&lt;generation&gt;/</c>, or <c>&lt;uid&gt;/</c>.</summary>
    public string OutputPrefix => Generation is { } g ? $"{Uid}/g{g}/" : $"{Uid}/";
}
