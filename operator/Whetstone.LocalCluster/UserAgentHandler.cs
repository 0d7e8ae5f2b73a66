using System.Net.Http.Headers;

namespace Whetstone.LocalCluster;

/// <summary>
/// Sends every request of a KubernetesClient with its own User-Agent product, so the server's
/// <see cref="ApiRequestCounter"/> (and managedFields) can tell clients apart: pass it to
/// <c>new Kubernetes(configuration, new UserAgentHandler("whetstone-node"))</c>.
/// </summary>
public sealed class UserAgentHandler(string product) : DelegatingHandler
{
    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.UserAgent.Clear();
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue(product, "1.0"));
        return base.SendAsync(request, cancellationToken);
    }
}
