using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Artifacts;
using Whetstone.Artifacts.Models;

namespace Whetstone.Worker.Jobs;

/// <summary>
/// Publishes one attempt's outputs under the job's generation prefix (<c>&lt;output&gt;/&lt;uid&gt;/g&lt;generation&gt;/</c>),
/// the same way for every kind: files and model folders with their digests first, <c>manifest.json</c> last. The
/// manifest commits the set (docs/decisions.md, "Publishing a job's outputs"):
/// <list type="bullet">
/// <item>Before it exists, keys under the prefix are leftovers of an attempt that stopped mid-publication. Nothing
/// published names them, so this attempt replaces any whose content differs from its own, and removes the temporary
/// objects of interrupted writes.</item>
/// <item>Once it exists, the set is published and never written again: a later attempt reads the manifest back
/// (<see cref="ReadPublishedAsync"/>) instead of writing.</item>
/// </list>
/// Store failures become <see cref="JobFailureException"/>s with reason <c>ArtifactStoreError</c> naming the key.
/// </summary>
internal sealed class JobOutputs(IArtifactStore store, string prefix, Action<string> say)
{
    /// <summary>Name of the manifest that commits a generation's outputs.</summary>
    public const string ManifestFileName = "manifest.json";

    // Leftovers younger than this could belong to a write still in flight; attempts of one job never overlap, and
    // publication comes after the work, so a predecessor's leftovers are older than this by then.
    private static readonly TimeSpan LeftoverAge = TimeSpan.FromMinutes(10);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private bool _cleaned;

    /// <summary>Where the outputs go.</summary>
    public Uri Uri => store.GetUri(prefix);

    /// <summary>The manifest of an earlier attempt that already published this generation's outputs, or null.</summary>
    public async Task<JsonObject?> ReadPublishedAsync(CancellationToken cancellationToken)
    {
        var key = prefix + ManifestFileName;
        try
        {
            if (!await store.ExistsAsync(key, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var stream = await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false) as JsonObject
                       ?? throw new JobFailureException(ConditionReasons.ArtifactStoreError, $"{store.GetUri(key)}: not a JSON object");
            }
        }
        catch (Exception error) when (error is ArtifactStoreException or IOException or JsonException)
        {
            throw Failure(key, error);
        }
    }

    /// <summary>The <c>artifacts</c> entry of a published manifest as the kind's status type.</summary>
    public static T ArtifactsOf<T>(JsonObject manifest) where T : new() =>
        manifest["artifacts"] is JsonObject artifacts ? k8s.KubernetesJson.Deserialize<T>(artifacts.ToJsonString()) : new T();

    /// <summary>Stores <paramref name="bytes"/> as <paramref name="name"/>, replacing an unpublished leftover with other content.</summary>
    public async Task<ArtifactRef> PutAsync(string name, byte[] bytes, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var key = prefix + name;
        try
        {
            await CleanOnceAsync(cancellationToken).ConfigureAwait(false);
            StoredArtifact stored;
            try
            {
                stored = await store.PutAsync(key, new MemoryStream(bytes), contentType, null, cancellationToken).ConfigureAwait(false);
            }
            catch (ArtifactExistsException existing)
            {
                await EnsureUnpublishedAsync(key, cancellationToken).ConfigureAwait(false);
                say($"replacing {existing.Uri}: left by an attempt that stopped before publishing (digest {existing.ExistingDigest})");
                await store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
                stored = await store.PutAsync(key, new MemoryStream(bytes), contentType, null, cancellationToken).ConfigureAwait(false);
            }

            return new ArtifactRef { Uri = stored.Uri.ToString(), Digest = stored.Digest, SizeBytes = stored.SizeBytes };
        }
        catch (Exception error) when (error is ArtifactStoreException or IOException)
        {
            throw Failure(key, error);
        }
    }

    /// <summary>Stores <paramref name="text"/> as UTF-8.</summary>
    public Task<ArtifactRef> PutTextAsync(string name, string text, string contentType, CancellationToken cancellationToken) =>
        PutAsync(name, Encoding.UTF8.GetBytes(text), contentType, cancellationToken);

    /// <summary>Stores the file at <paramref name="path"/>.</summary>
    public async Task<ArtifactRef> PutFileAsync(string name, string path, string contentType, CancellationToken cancellationToken) =>
        await PutAsync(name, await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false), contentType, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Uploads the model folder at <paramref name="directory"/> as <paramref name="folder"/> (files first, its own
    /// manifest last). Whatever an unpublished earlier attempt left in that folder is removed first, so the stored
    /// model is the one this attempt measured.
    /// </summary>
    public async Task<ArtifactRef> PutModelAsync(string folder, string directory, ModelProvenance provenance, CancellationToken cancellationToken)
    {
        var modelPrefix = prefix + (folder.EndsWith('/') ? folder : folder + "/");
        try
        {
            await CleanOnceAsync(cancellationToken).ConfigureAwait(false);
            var leftovers = new List<string>();
            await foreach (var item in store.ListAsync(modelPrefix, cancellationToken).ConfigureAwait(false))
            {
                leftovers.Add(item.Key);
            }

            if (leftovers.Count > 0)
            {
                await EnsureUnpublishedAsync(modelPrefix, cancellationToken).ConfigureAwait(false);
                say($"removing {leftovers.Count} file(s) under {store.GetUri(modelPrefix)} left by an attempt that stopped before publishing");
                foreach (var key in leftovers)
                {
                    await store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
                }
            }

            var model = await ModelDirectories.UploadAsync(store, modelPrefix, directory, provenance, null, cancellationToken).ConfigureAwait(false);
            return new ArtifactRef { Uri = model.Uri.ToString(), Digest = model.Digest, SizeBytes = model.SizeBytes };
        }
        catch (Exception error) when (error is ArtifactStoreException or IOException)
        {
            throw Failure(modelPrefix, error);
        }
    }

    /// <summary>
    /// Writes the manifest, which publishes the set. It names the job (<paramref name="kind"/>, name, uid, generation)
    /// above <paramref name="body"/>'s entries.
    /// </summary>
    public async Task<JsonObject> PublishAsync(string kind, IWorkerJobContext context, JsonObject body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(body);
        var manifest = new JsonObject
        {
            ["kind"] = kind,
            ["name"] = context.Name,
            ["uid"] = context.JobUid,
            ["generation"] = context.Generation,
        };
        foreach (var (name, value) in body.ToList())
        {
            body.Remove(name);
            manifest[name] = value;
        }

        await PutTextAsync(ManifestFileName, manifest.ToJsonString(Indented) + "\n", "application/json", cancellationToken).ConfigureAwait(false);
        say($"outputs published under {Uri}");
        return manifest;
    }

    private async Task CleanOnceAsync(CancellationToken cancellationToken)
    {
        if (_cleaned)
        {
            return;
        }

        _cleaned = true;
        var report = await store.CleanupAsync(prefix, LeftoverAge, cancellationToken).ConfigureAwait(false);
        if (report.TemporaryObjectsRemoved + report.OrphanSidecarsRemoved + report.IncompleteUploadsAborted > 0)
        {
            say($"removed leftovers of interrupted writes under {Uri}: {report.TemporaryObjectsRemoved} temporary object(s), " +
                $"{report.OrphanSidecarsRemoved} orphan sidecar(s), {report.IncompleteUploadsAborted} incomplete upload(s)");
        }
    }

    private async Task EnsureUnpublishedAsync(string key, CancellationToken cancellationToken)
    {
        if (await store.ExistsAsync(prefix + ManifestFileName, cancellationToken).ConfigureAwait(false))
        {
            throw new JobFailureException(ConditionReasons.ArtifactStoreError,
                $"{store.GetUri(key)}: the outputs under {Uri} are already published ({ManifestFileName} exists) and are never overwritten");
        }
    }

    private JobFailureException Failure(string key, Exception error) =>
        error as JobFailureException ?? new JobFailureException(ConditionReasons.ArtifactStoreError, $"storing {store.GetUri(key)}: {error.Message}", error);
}
