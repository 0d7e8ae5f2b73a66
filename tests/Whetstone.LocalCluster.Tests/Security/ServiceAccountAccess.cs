using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Whetstone.LocalCluster.Tests.Security;

/// <summary>
/// A ServiceAccount <c>worker</c> in a fresh namespace, a Pod running as it (never started: the shared server has no
/// node), and a token bound to that Pod obtained through the TokenRequest API, as the kubelet obtains one; clients
/// that send that token; and the raw answers (status code and Status body) the server gives them.
/// </summary>
internal sealed class ServiceAccountAccess(LocalClusterFixture cluster, string ns, string token)
{
    public const string Account = "worker";
    public const string PodName = "worker-pod";

    public string Namespace => ns;

    public string Token => token;

    public string UserName => $"system:serviceaccount:{ns}:{Account}";

    /// <summary>Creates the namespace, the account, its Pod, and a Pod-bound token.</summary>
    public static async Task<ServiceAccountAccess> CreateAsync(LocalClusterFixture cluster, string prefix)
    {
        var ns = await cluster.CreateNamespaceAsync(prefix);
        await cluster.Client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = Account } }, ns);
        var pod = await cluster.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = PodName },
            Spec = new V1PodSpec { ServiceAccountName = Account, Containers = [new V1Container { Name = "main", Image = "busybox" }] },
        }, ns);
        return new ServiceAccountAccess(cluster, ns, await IssueAsync(cluster.Client, ns, Account, pod));
    }

    /// <summary>A TokenRequest as the kubelet sends it: bound to the Pod, 3607 seconds asked.</summary>
    public static async Task<string> IssueAsync(IKubernetes admin, string ns, string account, V1Pod? pod)
    {
        var request = new Authenticationv1TokenRequest
        {
            Spec = new V1TokenRequestSpec
            {
                Audiences = [],
                ExpirationSeconds = 3607,
                BoundObjectRef = pod is null ? null : new V1BoundObjectReference { ApiVersion = "v1", Kind = "Pod", Name = pod.Metadata.Name, Uid = pod.Metadata.Uid },
            },
        };
        var issued = await admin.CoreV1.CreateNamespacedServiceAccountTokenAsync(request, account, ns);
        return issued.Status.Token;
    }

    /// <summary>A KubernetesClient sending <paramref name="bearer"/> (this account's token by default).</summary>
    public Kubernetes Client(string? bearer = null)
    {
        var admin = KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.Server.KubeconfigPath);
        return new Kubernetes(new KubernetesClientConfiguration { Host = admin.Host, SslCaCerts = admin.SslCaCerts, AccessToken = bearer ?? token });
    }

    /// <summary>Sends one request with <paramref name="bearer"/> (this account's token by default; empty for none).</summary>
    public async Task<(HttpStatusCode Code, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? body = null, string contentType = "application/merge-patch+json", string? bearer = null)
    {
        var admin = KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.Server.KubeconfigPath);
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(admin.SslCaCerts);
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                return certificate is not null && chain.Build(certificate);
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = cluster.Server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(method, path);
        var credential = bearer ?? token;
        if (credential.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? parsed = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/json" && text.Length > 0)
        {
            parsed = JsonNode.Parse(text);
        }

        return (response.StatusCode, parsed);
    }

    /// <summary>The refusal message kube-apiserver writes for a namespaced resource request.</summary>
    public string Refusal(string verb, string resource, string group, string? name = null, string? inNamespace = null)
    {
        var plain = resource.Split('/')[0];
        var qualified = group.Length == 0 ? plain : $"{plain}.{group}";
        var subject = name is null ? qualified : $"{qualified} \"{name}\"";
        return $"{subject} is forbidden: User \"{UserName}\" cannot {verb} resource \"{resource}\" in API group \"{group}\" in the namespace \"{inNamespace ?? ns}\"";
    }

    /// <summary>The status code and Status message of a failed typed call.</summary>
    public static async Task<(HttpStatusCode Code, string Message)> FailureOfAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(call);
        var status = JsonNode.Parse(error.Response.Content);
        return (error.Response.StatusCode, status?["message"]?.GetValue<string>() ?? error.Response.Content);
    }
}
