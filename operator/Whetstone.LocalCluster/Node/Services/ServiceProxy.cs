using System.Net;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Whetstone.LocalCluster.Networking;

namespace Whetstone.LocalCluster.Node.Services;

/// <summary>
/// The node's kube-proxy for HTTP: a listener on every Service's <c>clusterIP:port</c> (TCP ports of ClusterIP,
/// NodePort and LoadBalancer Services whose address is in <see cref="LoopbackRange.Services"/>) that forwards
/// each request with YARP to the next ready endpoint, round-robin; 503 when none is ready. Listeners follow the
/// Services; the endpoints follow the Endpoints objects, so an unready or deleted Pod stops receiving requests
/// within one watch event. Only HTTP/1.1 and h2c are proxied, not raw TCP.
/// </summary>
internal sealed class ServiceProxy(IKubernetes client, LocalNodeOptions options, ChangeSignal signal, ILogger logger) : IAsyncDisposable
{
    private readonly Dictionary<(string Address, int Port), (string Namespace, string Service, LoopbackHttpServer Server)> _listeners = [];
    private readonly HttpForwarding _forwarding = new();
    private volatile BackendTable _table = BackendTable.Empty;
    private long _requests;

    public Task RunAsync(CancellationToken ct) =>
        SignalLoop.RunAsync("Service proxy", SyncAsync, signal, options.ResyncInterval, logger, ct);

    private async Task SyncAsync(CancellationToken ct)
    {
        var services = (await client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)).Items;
        var endpoints = (await client.CoreV1.ListEndpointsForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)).Items;
        _table = BackendTable.Build(services, endpoints);
        var desired = services
            .Where(s => LoopbackRange.Services.Contains(s.Spec?.ClusterIP))
            .SelectMany(s => (s.Spec.Ports ?? []).Where(p => (p.Protocol ?? "TCP") == "TCP")
                .Select(p => (Key: (s.Spec.ClusterIP, p.Port), Namespace: s.Metadata.NamespaceProperty ?? "default", Service: s.Metadata.Name)))
            .GroupBy(entry => entry.Key)
            .ToDictionary(group => group.Key, group => group.First());
        foreach (var (key, listener) in _listeners.Where(pair => !desired.TryGetValue(pair.Key, out var want)
            || want.Namespace != pair.Value.Namespace || want.Service != pair.Value.Service).ToList())
        {
            _listeners.Remove(key);
            await listener.Server.DisposeAsync().ConfigureAwait(false);
            logger.LogInformation("Service proxy stopped {Address}:{Port} ({Namespace}/{Service})", key.Address, key.Port, listener.Namespace, listener.Service);
        }

        foreach (var (key, want) in desired.Where(pair => !_listeners.ContainsKey(pair.Key)))
        {
            try
            {
                var server = await LoopbackHttpServer.StartAsync(
                    IPAddress.Parse(key.ClusterIP), key.Port, context => ForwardAsync(context, want.Namespace, want.Service, key.Port), ct).ConfigureAwait(false);
                _listeners[key] = (want.Namespace, want.Service, server);
                logger.LogInformation("Service proxy listening on {Address}:{Port} for {Namespace}/{Service}", key.ClusterIP, key.Port, want.Namespace, want.Service);
            }
            catch (Exception error) when (error is IOException or System.Net.Sockets.SocketException)
            {
                logger.LogWarning(error, "Service proxy could not listen on {Address}:{Port}", key.ClusterIP, key.Port);
            }
        }
    }

    private async Task ForwardAsync(HttpContext context, string ns, string service, int port)
    {
        var ready = _table.ReadyEndpoints(ns, service, port);
        if (ready.Count == 0)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync($"no ready endpoints for service {ns}/{service}:{port}\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var endpoint = ready[(int)((ulong)Interlocked.Increment(ref _requests) % (ulong)ready.Count)];
        await _forwarding.ForwardAsync(context, endpoint).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var listener in _listeners.Values)
        {
            await listener.Server.DisposeAsync().ConfigureAwait(false);
        }

        _listeners.Clear();
        _forwarding.Dispose();
    }
}
