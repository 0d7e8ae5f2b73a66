using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using Whetstone.LocalCluster;

namespace Whetstone.Operator.Tests.Cluster;

/// <summary>
/// What a pod of the embedded default holds to talk to the API server: the ServiceAccount token the kubelet wrote in
/// its folder (<c>pods/&lt;namespace&gt;/&lt;pod&gt;/serviceaccount/token</c>, beside the kubeconfig its
/// <c>KUBECONFIG</c> names), and a client that sends it, so a test acts exactly as the worker may.
/// </summary>
public static class PodCredentials
{
    /// <summary>The token of a started pod (waits until the kubelet has written it).</summary>
    public static async Task<string> TokenAsync(LocalClusterServer server, string ns, string pod)
    {
        ArgumentNullException.ThrowIfNull(server);
        var path = Path.Combine(server.DataDirectory, "pods", ns, pod, "serviceaccount", "token");
        await Eventually.TrueAsync(() => Task.FromResult(File.Exists(path)), $"the kubelet writes {path}");
        return (await File.ReadAllTextAsync(path)).Trim();
    }

    /// <summary>A client of <paramref name="server"/> that authenticates with <paramref name="token"/>.</summary>
    public static Kubernetes Connect(LocalClusterServer server, string token)
    {
        ArgumentNullException.ThrowIfNull(server);
        var admin = KubernetesClientConfiguration.BuildConfigFromConfigFile(server.KubeconfigPath);
        return new Kubernetes(new KubernetesClientConfiguration { Host = admin.Host, SslCaCerts = admin.SslCaCerts, AccessToken = token });
    }

    /// <summary>The status code and Status message the server answered a call with (the call must fail).</summary>
    public static async Task<(HttpStatusCode Code, string Message)> RefusalAsync(Func<Task> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var error = await Assert.ThrowsAsync<HttpOperationException>(call);
        var message = error.Response.Content.Length > 0 ? JsonNode.Parse(error.Response.Content)?["message"]?.GetValue<string>() : null;
        return (error.Response.StatusCode, message ?? error.Response.Content);
    }
}
