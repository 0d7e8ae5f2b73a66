using System.Text;
using Microsoft.Extensions.Options;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Artifacts;
using Whetstone.Artifacts.Models;
using Whetstone.Operator.Configuration;

namespace Whetstone.Operator.Preflight;

/// <summary>
/// The single checks a job's spec gets before a worker starts, each answering with a <see cref="PreflightVerdict"/>
/// whose message names the spec field. They read what the worker will read, the way it reads it:
/// <list type="bullet">
/// <item>a model directory with <c>manifest.json</c> (any scheme): its digest is the digest of <c>manifest.json</c>,
/// read and verified against its sidecar (<see cref="ModelDirectories.ReadManifestAsync"/>, what the worker's model
/// cache does);</item>
/// <item>a plain <c>file://</c> model directory without a manifest (like examples/models/tiny-llama): it needs
/// <c>config.json</c> and <c>model.safetensors</c>, and its digest is the sha256 of <c>model.safetensors</c> (the
/// worker's rule), taken from that file's sidecar when there is one, else hashed;</item>
/// <item>a dataset: its digest is the sha256 of the raw file; on S3 the sidecar's, on a file the sidecar's when
/// present, else hashed (only when a digest is pinned);</item>
/// <item>the output prefix: a small probe object written to <c>&lt;prefix&gt;/.whetstone-probe-&lt;job uid&gt;</c> and
/// deleted again (directly under the prefix, so concurrent probes never share a folder that one of them could
/// remove while another writes into it).</item>
/// </list>
/// A store that cannot be reached or is not configured makes the verdict Waiting, never Failed.
/// </summary>
public sealed class ArtifactChecks(ArtifactStoreProvider stores, IOptions<PreflightOptions> options)
{
    /// <summary>The start of a probe object's name under an output prefix; the job uid follows.</summary>
    public const string ProbeName = ".whetstone-probe-";

    private const string WeightsFileName = "model.safetensors";
    private const string ConfigFileName = "config.json";

    /// <summary>Checks a model source given by URI; references (fineTuneJobRef, compressionJobRef) pass (the reference resolver checks them).</summary>
    public async Task<PreflightVerdict> CheckModelAsync(string @namespace, ModelSource source, string field, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (string.IsNullOrEmpty(source.Uri))
        {
            return PreflightVerdict.Pass($"{field}: a job reference");
        }

        var uri = source.Uri.EndsWith('/') ? source.Uri : source.Uri + "/";
        if (Skipped(uri))
        {
            return PreflightVerdict.Pass($"{field}.uri: {uri} not checked (file:// checks are off)");
        }

        return await GuardAsync($"{field}.uri", uri, output: false, async () =>
        {
            var (store, prefix) = await stores.ResolveAsync(@namespace, uri, cancellationToken).ConfigureAwait(false);
            string digest;
            if (await store.ExistsAsync(prefix + ModelManifest.FileName, cancellationToken).ConfigureAwait(false))
            {
                var (model, _) = await ModelDirectories.ReadManifestAsync(store, prefix, null, cancellationToken).ConfigureAwait(false);
                digest = model.Digest;
            }
            else if (IsFile(uri) && await store.ExistsAsync(prefix + ConfigFileName, cancellationToken).ConfigureAwait(false))
            {
                if (!await store.ExistsAsync(prefix + WeightsFileName, cancellationToken).ConfigureAwait(false))
                {
                    return PreflightVerdict.Fail(ConditionReasons.SourceNotFound, $"{field}.uri: the model at {uri} has {ConfigFileName} but no {WeightsFileName}");
                }

                if (source.Digest is null)
                {
                    return PreflightVerdict.Pass($"{field}: {uri}");
                }

                digest = await FileDigestAsync(new Uri(uri + WeightsFileName).LocalPath, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var expected = IsFile(uri) ? $"{ModelManifest.FileName} or {ConfigFileName}" : ModelManifest.FileName;
                return PreflightVerdict.Fail(ConditionReasons.SourceNotFound, $"{field}.uri: no model at {uri} (no {expected})");
            }

            return source.Digest is { } pin && !string.Equals(pin, digest, StringComparison.Ordinal)
                ? PreflightVerdict.Fail(ConditionReasons.DigestMismatch, $"{field}.digest pins {pin}, but the model at {uri} has digest {digest}")
                : PreflightVerdict.Pass($"{field}: {uri} ({digest})");
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks a dataset file given by URI and its optional pin.</summary>
    public async Task<PreflightVerdict> CheckDatasetAsync(string @namespace, string uri, string? pin, string field, CancellationToken cancellationToken)
    {
        if (Skipped(uri))
        {
            return PreflightVerdict.Pass($"{field}.uri: {uri} not checked (file:// checks are off)");
        }

        return await GuardAsync($"{field}.uri", uri, output: false, async () =>
        {
            var (store, key) = await stores.ResolveAsync(@namespace, uri, cancellationToken).ConfigureAwait(false);
            if (key.Length == 0 || key.EndsWith('/') || !await store.ExistsAsync(key, cancellationToken).ConfigureAwait(false))
            {
                return PreflightVerdict.Fail(ConditionReasons.SourceNotFound, $"{field}.uri: no dataset file at {uri}");
            }

            if (pin is null)
            {
                return PreflightVerdict.Pass($"{field}: {uri}");
            }

            var digest = IsFile(uri)
                ? await FileDigestAsync(new Uri(uri).LocalPath, cancellationToken).ConfigureAwait(false)
                : (await store.StatAsync(key, cancellationToken).ConfigureAwait(false))?.Digest;
            return digest is null
                ? PreflightVerdict.Fail(ConditionReasons.SourceNotFound, $"{field}.uri: no dataset file at {uri}")
                : !string.Equals(pin, digest, StringComparison.Ordinal)
                    ? PreflightVerdict.Fail(ConditionReasons.DigestMismatch, $"{field}.digest pins {pin}, but the dataset at {uri} has digest {digest}")
                    : PreflightVerdict.Pass($"{field}: {uri} ({digest})");
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks an optional dataset source: one given by URI as <see cref="CheckDatasetAsync"/> does; none, or a
    /// <c>fineTuneJobRef</c> (the reference resolver checks it), passes.
    /// </summary>
    public Task<PreflightVerdict> CheckDatasetSourceAsync(string @namespace, DatasetSource? source, string field, CancellationToken cancellationToken) =>
        source?.Uri is { Length: > 0 } uri
            ? CheckDatasetAsync(@namespace, uri, source.Digest, field, cancellationToken)
            : Task.FromResult(PreflightVerdict.Pass(source is null ? $"{field}: not set" : $"{field}: a job reference"));

    /// <summary>Checks that the job can write under its output prefix by writing and deleting a probe object.</summary>
    public async Task<PreflightVerdict> CheckOutputAsync(string @namespace, string? uri, string jobUid, string field, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(uri))
        {
            return PreflightVerdict.Fail(ConditionReasons.OutputNotWritable, $"{field} is not set: the worker needs a prefix to write its artifacts under");
        }

        var folder = uri.EndsWith('/') ? uri : uri + "/";
        if (Skipped(folder))
        {
            return PreflightVerdict.Pass($"{field}: {folder} not checked (file:// checks are off)");
        }

        return await GuardAsync(field, folder, output: true, async () =>
        {
            var (store, prefix) = await stores.ResolveAsync(@namespace, folder, cancellationToken).ConfigureAwait(false);
            var probe = $"{prefix}{ProbeName}{jobUid}";
            var content = Encoding.UTF8.GetBytes($"whetstone output probe for job {jobUid}; safe to delete\n");
            using (var stream = new MemoryStream(content))
            {
                await store.PutAsync(probe, stream, "text/plain", null, cancellationToken).ConfigureAwait(false);
            }

            await store.DeleteAsync(probe, cancellationToken).ConfigureAwait(false);

            return PreflightVerdict.Pass($"{field}: {folder} is writable");
        }, cancellationToken).ConfigureAwait(false);
    }

    private bool Skipped(string uri) => IsFile(uri) && !options.Value.CheckFileUris;

    private static bool IsFile(string uri) => uri.StartsWith("file:", StringComparison.Ordinal);

    /// <summary>The digest of a local file: its sidecar's when it has one (written with the file), else its sha256.</summary>
    private static async Task<string> FileDigestAsync(string path, CancellationToken cancellationToken)
    {
        var sidecar = path + ArtifactKeys.SidecarSuffix;
        if (File.Exists(sidecar))
        {
            return ArtifactSidecar.Parse(await File.ReadAllBytesAsync(sidecar, cancellationToken).ConfigureAwait(false), new Uri(sidecar)).Digest;
        }

        var file = File.OpenRead(path);
        await using (file.ConfigureAwait(false))
        {
            return await ArtifactDigest.ComputeAsync(file, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Says why a local path cannot be used, in words: the usual cause is a file where a folder must be.</summary>
    private static string DescribeLocalFailure(string path, IOException error)
    {
        for (var current = Path.TrimEndingDirectorySeparator(path); !string.IsNullOrEmpty(current); current = Path.GetDirectoryName(current))
        {
            if (File.Exists(current))
            {
                return current == Path.TrimEndingDirectorySeparator(path) ? error.Message : $"{current} is a file, not a folder";
            }

            if (Directory.Exists(current))
            {
                break;
            }
        }

        return error.Message;
    }

    /// <summary>Runs one check and turns what the store threw into a verdict naming the field.</summary>
    private static async Task<PreflightVerdict> GuardAsync(string field, string uri, bool output, Func<Task<PreflightVerdict>> check, CancellationToken cancellationToken)
    {
        var notReadable = output ? ConditionReasons.OutputNotWritable : ConditionReasons.SourceNotReadable;
        try
        {
            return await check().ConfigureAwait(false);
        }
        catch (ArtifactStoreConfigurationException e)
        {
            return PreflightVerdict.Wait(ConditionReasons.ArtifactStoreUnavailable, $"{field}: {e.Message}");
        }
        catch (ArtifactStoreUnavailableException e)
        {
            return PreflightVerdict.Wait(ConditionReasons.ArtifactStoreUnavailable, $"{field}: {e.Message}");
        }
        catch (ArtifactIntegrityException e)
        {
            return PreflightVerdict.Fail(ConditionReasons.DigestMismatch, $"{field}: {e.Message}");
        }
        catch (ArtifactNotFoundException e)
        {
            return output
                ? PreflightVerdict.Fail(ConditionReasons.OutputNotWritable, $"{field}: {uri} cannot be written: {e.Message}")
                : PreflightVerdict.Fail(ConditionReasons.SourceNotFound, $"{field}: {e.Message}");
        }
        catch (ArtifactAccessDeniedException e)
        {
            return PreflightVerdict.Fail(notReadable, $"{field}: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            return PreflightVerdict.Fail(notReadable, $"{field}: {uri}: permission denied ({e.Message})");
        }
        catch (IOException e) when (IsFile(uri))
        {
            return PreflightVerdict.Fail(notReadable, $"{field}: {uri}: {DescribeLocalFailure(new Uri(uri).LocalPath, e)}");
        }
        catch (FormatException e)
        {
            return PreflightVerdict.Fail(ConditionReasons.ModelInvalid, $"{field}: {e.Message}");
        }
        catch (ArgumentException e)
        {
            return PreflightVerdict.Fail(output ? ConditionReasons.OutputNotWritable : ConditionReasons.SourceNotFound, $"{field}: {e.Message}");
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            return PreflightVerdict.Wait(ConditionReasons.ArtifactStoreUnavailable, $"{field}: {uri}: the artifact store did not answer in time ({e.Message})");
        }
        catch (Exception e) when (e is ArtifactStoreException or HttpRequestException or IOException or TimeoutException)
        {
            // Anything else the store says is treated as the store not answering: wait and ask again, never a crash loop.
            return PreflightVerdict.Wait(ConditionReasons.ArtifactStoreUnavailable, $"{field}: {e.Message}");
        }
    }
}
