using System.Text.Json.Nodes;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Artifacts;
using Whetstone.Artifacts.Models;
using Whetstone.ML.Charts;
using Whetstone.ML.Lora;
using Whetstone.ML.Models;
using Whetstone.ML.Monitoring;
using Whetstone.ML.Training;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.FineTuning;

/// <summary>
/// Publishes what a finished fine-tune produced under <c>&lt;output&gt;/&lt;uid&gt;/g&lt;generation&gt;/</c>: the loss
/// curve (JSON and PNG), the adapter (LoRA), the merged model with its provenance, and a manifest naming every output
/// with its digest, through <see cref="JobOutputs"/>; then records them in <c>status.artifacts</c>.
/// </summary>
internal sealed class FineTuneOutputs(WorkerJobContext<FineTuneJob> context, IArtifactStore output, StatusReporter<FineTuneJobStatus> status, Action<string> say)
{
    private readonly JobOutputs _outputs = new(output, context.OutputPrefix, say);

    /// <summary>Stores <paramref name="bytes"/> under the attempt's prefix; a store failure fails the attempt with ArtifactStoreError.</summary>
    public Task<ArtifactRef> PutAsync(string name, byte[] bytes, string contentType, CancellationToken cancellationToken) =>
        _outputs.PutAsync(name, bytes, contentType, cancellationToken);

    /// <summary>
    /// Publishes every output of the trained model and the job manifest; when an earlier attempt already published
    /// this generation, records its artifacts instead.
    /// </summary>
    public async Task StoreAsync(FineTuneResult run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (await _outputs.ReadPublishedAsync(cancellationToken).ConfigureAwait(false) is { } published)
        {
            var earlier = JobOutputs.ArtifactsOf<FineTuneArtifacts>(published);
            status.Update(s => s.Artifacts = earlier);
            say($"outputs of generation {context.Generation} were already published under {_outputs.Uri} by an earlier attempt; keeping them");
            return;
        }

        var staging = Path.Combine(context.WorkDirectory, "outputs", context.OutputPrefix.TrimEnd('/'));
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging);
        var artifacts = new FineTuneArtifacts();
        status.Update(s => artifacts = s.Artifacts ?? new FineTuneArtifacts { Generation = context.Generation });
        artifacts.LossCurve = await StoreLossCurveAsync(run.Result, staging, cancellationToken).ConfigureAwait(false);
        if (run.Lora is not null)
        {
            artifacts.Adapter = await StoreAdapterAsync(run.Lora, run.BaseModel, staging, cancellationToken).ConfigureAwait(false);
            run.Lora.MergeAndUnload();
        }

        artifacts.Model = await StoreMergedModelAsync(run, staging, cancellationToken).ConfigureAwait(false);
        await _outputs.PublishAsync(Kinds.FineTuneJob, context, Manifest(run, artifacts), cancellationToken).ConfigureAwait(false);
        status.Update(s => s.Artifacts = artifacts);
    }

    private async Task<ArtifactRef> StoreLossCurveAsync(TrainingResult result, string staging, CancellationToken cancellationToken)
    {
        var curve = LossCurveDocument.FromPoints(result.LossCurve);
        var curveJson = Path.Combine(staging, "loss-curve.json");
        var curvePng = Path.Combine(staging, "loss-curve.png");
        ScratchWrites.Run(staging, "the loss curve staged", () =>
        {
            LossCurveChart.WriteJson(curve, curveJson);
            LossCurveChart.WritePng(curve, curvePng, $"{context.Job.Metadata.Name}: fine-tuning loss");
        });
        var stored = await _outputs.PutFileAsync("loss-curve.json", curveJson, "application/json", cancellationToken).ConfigureAwait(false);
        await _outputs.PutFileAsync("loss-curve.png", curvePng, "image/png", cancellationToken).ConfigureAwait(false);
        return stored;
    }

    private async Task<ArtifactRef> StoreAdapterAsync(LoraModel lora, ResolvedModelSource baseModel, string staging, CancellationToken cancellationToken)
    {
        var adapterDirectory = Path.Combine(staging, "adapter");
        ScratchWrites.Run(adapterDirectory, "the adapter staged", () => PeftAdapterFiles.Save(lora, adapterDirectory, baseModel.Uri));
        string? weightsDigest = null;
        long size = 0;
        foreach (var file in Directory.GetFiles(adapterDirectory).Order(StringComparer.Ordinal))
        {
            var stored = await _outputs.PutFileAsync("adapter/" + Path.GetFileName(file), file, "application/octet-stream", cancellationToken).ConfigureAwait(false);
            size += stored.SizeBytes ?? 0;
            if (Path.GetFileName(file) == PeftAdapterFiles.WeightsFileName)
            {
                weightsDigest = stored.Digest;
            }
        }

        return new ArtifactRef { Uri = output.GetUri(context.OutputPrefix + "adapter/").ToString(), Digest = weightsDigest, SizeBytes = size };
    }

    private Task<ArtifactRef> StoreMergedModelAsync(FineTuneResult run, string staging, CancellationToken cancellationToken)
    {
        var mergedDirectory = Path.Combine(staging, "model");
        ScratchWrites.Run(mergedDirectory, "the merged model staged", () => run.Language.Save(mergedDirectory));
        var provenance = new ModelProvenance(
            Producer: new ModelProducer(Kinds.FineTuneJob, context.Job.Metadata.NamespaceProperty, context.Job.Metadata.Name ?? "", context.JobUid),
            SourceModelDigest: run.BaseDigest,
            DatasetDigest: run.DatasetDigest,
            Parameters: new Dictionary<string, JsonNode?>
            {
                ["method"] = FineTuneTrainingOptions.MethodName(context.Job.Spec),
                ["steps"] = run.Result.Step,
                ["bestValidationLoss"] = TrainingStatusMapper.Finite(run.Result.BestValidationLoss),
            });
        return _outputs.PutModelAsync("model", mergedDirectory, provenance, cancellationToken);
    }

    private JsonObject Manifest(FineTuneResult run, FineTuneArtifacts artifacts) => new()
    {
        ["baseModel"] = new JsonObject { ["uri"] = run.BaseModel.Uri, ["digest"] = run.BaseDigest, ["fineTuneJobRef"] = run.BaseModel.FineTuneJobRef },
        ["method"] = FineTuneTrainingOptions.MethodName(context.Job.Spec),
        ["stopReason"] = run.Result.StopReason.ToString(),
        ["steps"] = run.Result.Step,
        ["finalTrainLoss"] = TrainingStatusMapper.Finite(run.Result.FinalTrainLoss),
        ["bestValidationLoss"] = TrainingStatusMapper.Finite(run.Result.BestValidationLoss),
        ["artifacts"] = JsonNode.Parse(k8s.KubernetesJson.Serialize(artifacts)),
        ["testEvaluation"] = run.Accuracy?.ToManifest(),
    };
}
