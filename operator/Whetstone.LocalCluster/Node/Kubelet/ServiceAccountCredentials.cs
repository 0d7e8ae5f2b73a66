using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Whetstone.LocalCluster.Node.Kubelet;

/// <summary>
/// What the kubelet's projected <c>kube-api-access</c> volume gives a Pod on a cluster: a token of the Pod's
/// ServiceAccount (<c>spec.serviceAccountName</c>, <c>default</c> when unset), bound to the Pod, asked for through the
/// TokenRequest API, with the cluster CA and the namespace. Written under the Pod's folder (there is no
/// /var/run/secrets here): <c>serviceaccount/token</c>, <c>serviceaccount/ca.crt</c>, <c>serviceaccount/namespace</c>,
/// plus a <c>kubeconfig</c> holding the token, which <c>KUBECONFIG</c> points at. Nothing is written, and no
/// <c>KUBECONFIG</c> is set, when <c>automountServiceAccountToken</c> is false on the Pod (or on its ServiceAccount
/// with the Pod not saying).
/// </summary>
internal sealed class ServiceAccountCredentials
{
    private readonly IKubernetes _client;
    private readonly Uri _server;
    private readonly string _caPem;

    public ServiceAccountCredentials(IKubernetes client, string nodeKubeconfigPath)
    {
        _client = client;
        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(nodeKubeconfigPath);
        _server = new Uri(configuration.Host);
        _caPem = string.Concat((configuration.SslCaCerts ?? []).Select(c => c.ExportCertificatePem() + "\n"));
    }

    /// <summary>
    /// Asks for a fresh token and writes the Pod's credentials; returns the variables pointing at them (none when the
    /// token is not to be mounted), or the problem that keeps the container waiting (a missing ServiceAccount).
    /// </summary>
    public async Task<(IReadOnlyDictionary<string, string> Variables, LaunchProblem? Problem)> PrepareAsync(V1Pod pod, PodPaths paths, CancellationToken ct)
    {
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        var accountName = pod.Spec.ServiceAccountName is { Length: > 0 } named ? named : "default";
        string token;
        try
        {
            if (pod.Spec.AutomountServiceAccountToken == false)
            {
                return (new Dictionary<string, string>(), null);
            }

            var account = await _client.CoreV1.ReadNamespacedServiceAccountAsync(accountName, ns, cancellationToken: ct).ConfigureAwait(false);
            if (account.AutomountServiceAccountToken == false && pod.Spec.AutomountServiceAccountToken is null)
            {
                return (new Dictionary<string, string>(), null);
            }

            var request = new Authenticationv1TokenRequest
            {
                Spec = new V1TokenRequestSpec
                {
                    Audiences = [],
                    ExpirationSeconds = 3607,
                    BoundObjectRef = new V1BoundObjectReference { ApiVersion = "v1", Kind = "Pod", Name = pod.Metadata.Name, Uid = pod.Metadata.Uid },
                },
            };
            var issued = await _client.CoreV1.CreateNamespacedServiceAccountTokenAsync(request, accountName, ns, cancellationToken: ct).ConfigureAwait(false);
            token = issued.Status.Token;
        }
        catch (HttpOperationException error)
        {
            var detail = KubernetesErrors.IsNotFound(error) ? $"serviceaccount \"{accountName}\" not found" : $"{error.Response?.StatusCode}: {KubernetesErrors.Describe(error)}";
            return (new Dictionary<string, string>(), new LaunchProblem(
                "CreateContainerConfigError", $"MountVolume.SetUp failed for volume \"kube-api-access\": cannot get a token for serviceaccount {ns}/{accountName}: {detail}", false));
        }

        var directory = paths.ServiceAccountDirectory;
        Directory.CreateDirectory(directory);
        WriteAtomically(Path.Combine(directory, "token"), token);
        WriteAtomically(Path.Combine(directory, "ca.crt"), _caPem);
        WriteAtomically(Path.Combine(directory, "namespace"), ns);
        var kubeconfig = KubeconfigWriter.Render(_server, _caPem, token, ns);
        WriteAtomically(paths.Kubeconfig, kubeconfig);
        return (new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["KUBECONFIG"] = paths.Kubeconfig,
            ["WHETSTONE_SERVICE_ACCOUNT_DIR"] = directory,
        }, null);
    }

    // A sibling container may be reading the files while a restarted one gets a new token: replace, never truncate.
    private static void WriteAtomically(string path, string content)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
