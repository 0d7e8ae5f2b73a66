using k8s;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Worker.Evaluation;

/// <summary>Writes the status as EvaluationRunStatus JSON to a file, replaced atomically.</summary>
internal sealed class EvaluationStatusFileSink(string path) : IEvaluationStatusSink
{
    public async Task WriteAsync(EvaluationRunStatus status, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        await File.WriteAllTextAsync(temporary, KubernetesJson.Serialize(status) + "\n", cancellationToken).ConfigureAwait(false);
        File.Move(temporary, full, overwrite: true);
    }
}
