using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Forwarder;

namespace Whetstone.LocalCluster.Networking;

/// <summary>
/// Sends a request on to one chosen endpoint with YARP's forwarder (headers, streaming bodies, upgrades and
/// trailers handled by YARP), and answers 502 when the endpoint cannot be reached. Choosing the endpoint is the
/// caller's job (the Service proxy balances round-robin, the gateway by route and weight).
/// </summary>
public sealed class HttpForwarding : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
    });

    /// <summary>Creates the forwarder and its connection pool.</summary>
    public HttpForwarding()
    {
        _services = new ServiceCollection().AddLogging().AddHttpForwarder().BuildServiceProvider();
        _forwarder = _services.GetRequiredService<IHttpForwarder>();
    }

    /// <summary>Forwards <paramref name="context"/>'s request to <c>http://</c><paramref name="endpoint"/> (an <c>ip:port</c>).</summary>
    public async Task ForwardAsync(HttpContext context, string endpoint)
    {
        ArgumentNullException.ThrowIfNull(context);
        var error = await _forwarder.SendAsync(context, "http://" + endpoint, _client, ForwarderRequestConfig.Empty, HttpTransformer.Default).ConfigureAwait(false);
        if (error != ForwarderError.None && !context.Response.HasStarted)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
        }
    }

    /// <summary>Closes pooled connections.</summary>
    public void Dispose()
    {
        _client.Dispose();
        _services.Dispose();
    }
}
