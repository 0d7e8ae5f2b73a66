using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using k8s;

namespace Whetstone.Reliability.Tests.Fuzzing;

/// <summary>A plain HTTP client for the embedded API server: its CA trusted, the kubeconfig's bearer token sent.</summary>
public static class ClusterHttp
{
    /// <summary>A client for the server of <paramref name="kubeconfigPath"/>; no overall timeout (each request brings its own).</summary>
    public static HttpClient Create(string kubeconfigPath, string? token = null)
    {
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath);
        var roots = config.SslCaCerts;
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is X509Certificate2 presented && IsIssuedBy(presented, roots),
            },
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri(config.Host), Timeout = Timeout.InfiniteTimeSpan };
        if ((token ?? config.AccessToken) is { Length: > 0 } bearer)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return client;
    }

    private static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2Collection roots)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
