using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using k8s;
using Whetstone.Api.V1Alpha1;
using Whetstone.Artifacts;
using Whetstone.ML.Training;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.Compression;

/// <summary>
/// Where a CompressionJob's training steps (distill, prune recovery) keep their checkpoints: as a FineTuneJob's, in
/// place under a <c>file://</c> output and mirrored to any other output as each is committed, so an attempt on
/// another machine resumes too. Each step's folder, <c>&lt;uid&gt;/checkpoints/compress/step&lt;i&gt;-&lt;name&gt;-&lt;key&gt;/</c>,
/// is keyed by a digest of the source model, the steps up to it and the tokenized records those steps train on, so an
/// edit that changes what the step trains on (including a data file replaced at the same URI) starts it afresh while a
/// suspend and resume (another generation, the same steps and data) resumes it.
/// </summary>
internal sealed class CompressCheckpoints
{
    private readonly Dictionary<int, JobCheckpoints> _steps;

    private CompressCheckpoints(Dictionary<int, JobCheckpoints> steps) => _steps = steps;

    /// <summary>Opens (and, for a remote output, brings back the newest checkpoint of) every training step.</summary>
    public static async Task<CompressCheckpoints> OpenAsync(IWorkerJobContext context, string outputUri, IArtifactStore output,
        IReadOnlyList<CompressionStep> steps, string sourceDigest, IReadOnlyDictionary<int, Whetstone.Compression.StepTrainingData> data, Action<string> say, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(data);
        var opened = new Dictionary<int, JobCheckpoints>();
        for (var index = 0; index < steps.Count; index++)
        {
            if (NameOf(steps[index]) is not { } name)
            {
                continue;
            }

            var prefix = ArtifactKeys.JobOutputPrefix("", context.JobUid) + string.Create(CultureInfo.InvariantCulture, $"checkpoints/compress/step{index}-{name}-{Key(sourceDigest, steps, data, index)}/");
            opened[index] = await JobCheckpoints.OpenAsync(context, outputUri, output, prefix, say, cancellationToken).ConfigureAwait(false);
        }

        return new CompressCheckpoints(opened);
    }

    /// <summary>The store of training step <paramref name="index"/>, for <c>CompressionPipeline.CheckpointStores</c>.</summary>
    public ICheckpointStore? StoreFor(int index, string name) => _steps.TryGetValue(index, out var step) ? step.Store : null;

    /// <summary>Waits until every committed checkpoint has reached the output.</summary>
    public async Task SyncAsync()
    {
        foreach (var step in _steps.Values)
        {
            await step.SyncAsync().ConfigureAwait(false);
        }
    }

    private static string? NameOf(CompressionStep step) =>
        step.Distill is not null ? "distill" : step.Prune?.Recovery is not null ? "prune" : null;

    /// <summary>The key of training step <paramref name="index"/>'s checkpoint folder.</summary>
    internal static string Key(string sourceDigest, IReadOnlyList<CompressionStep> steps, IReadOnlyDictionary<int, Whetstone.Compression.StepTrainingData> data, int index)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(sourceDigest + "\n" + KubernetesJson.Serialize(steps.Take(index + 1).ToList())));
        foreach (var (step, records) in data.Where(d => d.Key <= index).OrderBy(d => d.Key))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"\nstep {step}: {records.Train.Count}/{records.Validation.Count}\n")));
            foreach (var example in records.Train.Concat(records.Validation))
            {
                hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(example.InputIds.AsSpan()));
                hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(example.LossMask.AsSpan()));
                hash.AppendData([0xFF]);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
