using System.Net;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Options;
using Whetstone.Artifacts;
using Whetstone.Operator.Configuration;

namespace Whetstone.Operator.Preflight;

/// <summary>
/// Artifact store clients for the operator, with the same credentials the workers get: the Secret named by
/// <see cref="WorkerOptions.ArtifactStoreSecretName"/> in the job's namespace (the Secret worker pods read), or, when no
/// Secret is configured (the embedded mode), the operator's <c>WHETSTONE_S3_*</c> environment overlaid with
/// <see cref="WorkerOptions.Environment"/>. <c>file://</c> URIs need no credentials. S3 clients are kept per namespace
/// and bucket and rebuilt when the Secret's resourceVersion changes. The stores returned belong to the provider:
/// callers never dispose them.
/// </summary>
public sealed class ArtifactStoreProvider(IKubernetes client, IOptions<WorkerOptions> workers, IOptions<PreflightOptions> preflight) : IDisposable
{
    private const string EnvironmentVersion = "environment";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, NamespaceStores> _stores = new(StringComparer.Ordinal);
    private IArtifactStore? _files;

    /// <summary>Splits an artifact URI into a provider-owned store and the key (or key prefix) inside it.</summary>
    /// <exception cref="ArgumentException">The URI is not <c>s3://bucket/…</c> or <c>file:///…</c>.</exception>
    /// <exception cref="ArtifactStoreConfigurationException">The namespace's store settings are missing or invalid.</exception>
    public async Task<ArtifactLocation> ResolveAsync(string @namespace, string uri, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            throw new ArgumentException($"'{uri}' is not an absolute URI (use s3://bucket/prefix/ or file:///path/)", nameof(uri));
        }

        var key = Uri.UnescapeDataString(parsed.AbsolutePath).TrimStart('/');
        switch (parsed.Scheme)
        {
            case "file":
                lock (_lock)
                {
                    _files ??= ArtifactStoreFactory.Create(new Uri("file:///"));
                    return new ArtifactLocation(_files, key);
                }

            case "s3" when parsed.Host.Length > 0:
                var (version, options) = await ReadOptionsAsync(@namespace, cancellationToken).ConfigureAwait(false);
                return new ArtifactLocation(S3Store(@namespace, version, parsed.Host, options), key);
            default:
                throw new ArgumentException($"'{uri}': only s3://bucket/… and file:///… are supported", nameof(uri));
        }
    }

    private IArtifactStore S3Store(string @namespace, string version, string bucket, ArtifactStoreOptions options)
    {
        lock (_lock)
        {
            if (!_stores.TryGetValue(@namespace, out var cached) || cached.Version != version)
            {
                cached?.Dispose();
                cached = new NamespaceStores(version);
                _stores[@namespace] = cached;
            }

            if (!cached.Buckets.TryGetValue(bucket, out var store))
            {
                try
                {
                    store = ArtifactStoreFactory.Create(new Uri($"s3://{bucket}/"), options);
                }
                catch (ArgumentException e)
                {
                    throw new ArtifactStoreConfigurationException($"{SettingsSource(@namespace)}: {e.Message}", e);
                }

                cached.Buckets[bucket] = store;
            }

            return store;
        }
    }

    private async Task<(string Version, ArtifactStoreOptions Options)> ReadOptionsAsync(string @namespace, CancellationToken cancellationToken)
    {
        var secretName = workers.Value.ArtifactStoreSecretName;
        if (string.IsNullOrEmpty(secretName))
        {
            var extra = workers.Value.Environment;
            return (EnvironmentVersion, Tune(Build(@namespace, () => ArtifactStoreOptions.FromEnvironment(
                name => extra.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name)))));
        }

        k8s.Models.V1Secret secret;
        try
        {
            secret = await client.CoreV1.ReadNamespacedSecretAsync(secretName, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ArtifactStoreConfigurationException(
                $"the artifact store Secret {@namespace}/{secretName} does not exist: create it with the keys endpoint, accessKey and secretKey (worker pods read the same Secret)", e);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            throw new ArtifactStoreConfigurationException(
                $"the operator may not read the artifact store Secret {@namespace}/{secretName} ({(int)e.Response.StatusCode}): grant it get on secrets", e);
        }
        catch (HttpOperationException e)
        {
            throw new ArtifactStoreConfigurationException(
                $"could not read the artifact store Secret {@namespace}/{secretName}: HTTP {(int?)e.Response?.StatusCode} {e.Message}", e);
        }

        var data = new Dictionary<string, byte[]>(secret.Data ?? new Dictionary<string, byte[]>(), StringComparer.Ordinal);
        return (secret.Metadata?.ResourceVersion ?? "", Tune(Build(@namespace, () => ArtifactStoreOptions.FromSecretData(data))));
    }

    private ArtifactStoreOptions Build(string @namespace, Func<ArtifactStoreOptions> read)
    {
        try
        {
            return read();
        }
        catch (ArgumentException e)
        {
            throw new ArtifactStoreConfigurationException($"{SettingsSource(@namespace)}: {e.Message}", e);
        }
    }

    private string SettingsSource(string @namespace) =>
        string.IsNullOrEmpty(workers.Value.ArtifactStoreSecretName)
            ? "the operator's artifact store settings (WHETSTONE_S3_*)"
            : $"the artifact store Secret {@namespace}/{workers.Value.ArtifactStoreSecretName}";

    private ArtifactStoreOptions Tune(ArtifactStoreOptions options) => options with
    {
        // The check runs inside a reconcile; the controller's back-off does the long retrying.
        RequestTimeout = preflight.Value.StoreRequestTimeout,
        MaxRetryAttempts = preflight.Value.StoreMaxRetryAttempts,
        RetryMaxDelay = TimeSpan.FromSeconds(1),
        CreateBucketIfMissing = false,
    };

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var stores in _stores.Values)
            {
                stores.Dispose();
            }

            _stores.Clear();
            _files?.Dispose();
            _files = null;
        }
    }

    private sealed class NamespaceStores(string version) : IDisposable
    {
        public string Version { get; } = version;

        public Dictionary<string, IArtifactStore> Buckets { get; } = new(StringComparer.Ordinal);

        public void Dispose()
        {
            foreach (var store in Buckets.Values)
            {
                store.Dispose();
            }
        }
    }
}
