using System.Text.Json;
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
/// with its digest; then records them in <c>status.artifacts</c>. Keys are write-once, so a retried attempt keeps the
/// model its predecessor stored.
/// </summary>
internal sealed class FineTuneOutputs(WorkerJobContext<FineTuneJob> context, IArtifactStore output, StatusReporter<FineTuneJobStatus> status, Action<string> say)
{
    private readonly string _prefix = context.OutputPrefix;

    /// <summary>Stores <paramref name="bytes"/> under the attempt's prefix; a store failure fails the attempt with ArtifactStoreError.</summary>
    public async Task<ArtifactRef> PutAsync(string name, byte[] bytes, string contentType, CancellationToken cancellationToken)
    {
        var key = _prefix + name;
        try
        {
            var stored = await output.PutAsync(key, new MemoryStream(bytes), contentType, null, cancellationToken).ConfigureAwait(false);
            return new ArtifactRef { Uri = stored.Uri.ToString(), Digest = stored.Digest, SizeBytes = stored.SizeBytes };
        }
        catch (Exception error) when (error is ArtifactStoreException or IOException)
        {
            throw new JobFailureException(ConditionReasons.ArtifactStoreError, $"storing {output.GetUri(key)}: {error.Message}", error);
        }
    }

    /// <summary>Publishes every output of the trained <paramref name="language"/> model and the job manifest.</summary>
    public async Task StoreAsync(FineTuneResult run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var staging = Path.Combine(context.WorkDirectory, "outputs", _prefix.TrimEnd('/'));
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
        await PutAsync("manifest.json", System.Text.Encoding.UTF8.GetBytes(Manifest(run, artifacts).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"), "application/json", cancellationToken).ConfigureAwait(false);
        status.Update(s => s.Artifacts = artifacts);
        say($"outputs stored under {output.GetUri(_prefix)}");
    }

    private async Task<ArtifactRef> StoreLossCurveAsync(TrainingResult result, string staging, CancellationToken cancellationToken)
    {
        var curve = LossCurveDocument.FromPoints(result.LossCurve);
        var curveJson = Path.Combine(staging, "loss-curve.json");
        var curvePng = Path.Combine(staging, "loss-curve.png");
        LossCurveChart.WriteJson(curve, curveJson);
        LossCurveChart.WritePng(curve, curvePng, $"{context.Job.Metadata.Name}: fine-tuning loss");
        var stored = await PutAsync("loss-curve.json", await File.ReadAllBytesAsync(curveJson, cancellationToken).ConfigureAwait(false), "application/json", cancellationToken).ConfigureAwait(false);
        await PutAsync("loss-curve.png", await File.ReadAllBytesAsync(curvePng, cancellationToken).ConfigureAwait(false), "image/png", cancellationToken).ConfigureAwait(false);
        return stored;
    }

    private async Task<ArtifactRef> StoreAdapterAsync(LoraModel lora, ResolvedModelSource baseModel, string staging, CancellationToken cancellationToken)
    {
        var adapterDirectory = Path.Combine(staging, "adapter");
        PeftAdapterFiles.Save(lora, adapterDirectory, baseModel.Uri);
        string? weightsDigest = null;
        long size = 0;
        foreach (var file in Directory.GetFiles(adapterDirectory).Order(StringComparer.Ordinal))
        {
            var stored = await PutAsync("adapter/" + Path.GetFileName(file), await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false), "application/octet-stream", cancellationToken).ConfigureAwait(false);
            size += stored.SizeBytes ?? 0;
            if (Path.GetFileName(file) == PeftAdapterFiles.WeightsFileName)
            {
                weightsDigest = stored.Digest;
            }
        }

        return new ArtifactRef { Uri = output.GetUri(_prefix + "adapter/").ToString(), Digest = weightsDigest, SizeBytes = size };
    }

    private async Task<ArtifactRef> StoreMergedModelAsync(FineTuneResult run, string staging, CancellationToken cancellationToken)
    {
        var mergedDirectory = Path.Combine(staging, "model");
        run.Language.Save(mergedDirectory);
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
        StoredModel model;
        try
        {
            // A retried attempt whose predecessor already stored the model keeps that one (keys are write-once).
            model = await output.ExistsAsync(_prefix + "model/" + ModelManifest.FileName, cancellationToken).ConfigureAwait(false)
                ? (await ModelDirectories.ReadManifestAsync(output, _prefix + "model/", null, cancellationToken).ConfigureAwait(false)).Model
                : await ModelDirectories.UploadAsync(output, _prefix + "model/", mergedDirectory, provenance, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is ArtifactStoreException or IOException)
        {
            throw new JobFailureException(ConditionReasons.ArtifactStoreError, $"storing the merged model: {error.Message}", error);
        }

        return new ArtifactRef { Uri = model.Uri.ToString(), Digest = model.Digest, SizeBytes = model.SizeBytes };
    }

    private JsonObject Manifest(FineTuneResult run, FineTuneArtifacts artifacts) => new()
    {
        ["kind"] = Kinds.FineTuneJob,
        ["name"] = context.Job.Metadata.Name,
        ["uid"] = context.JobUid,
        ["generation"] = context.Generation,
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
