using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Whetstone.LocalCluster.Networking;
using Whetstone.LocalCluster.Node;

namespace Whetstone.LocalCluster.Gateway;

/// <summary>
/// The embedded cluster's Gateway: one HTTP listener that routes each request by the HTTPRoutes attached to
/// <see cref="GatewayOptions.GatewayName"/> (hostnames, path, headers, query, method), picks a backendRef at
/// random in proportion to the weights (or, when the route names a sticky header in its
/// <c>whetstone.dev/sticky-header</c> annotation and the request carries it, by the value's
/// <see cref="StickyBuckets"/> bucket, so a user keeps one backend), and forwards with YARP to a ready endpoint of that Service (straight to
/// the Pod, as gateway implementations do). Routes, Services and Endpoints are watched; the routing table is
/// rebuilt on every change, and each attached route's <c>status.parents</c> is kept current.
/// No route: 404. A chosen backend that is not a Service or does not exist, or all weights 0: 500. No ready
/// endpoint: 503.
/// </summary>
public sealed class HttpRouteGateway : IAsyncDisposable
{
    private readonly Kubernetes _client;
    private readonly GatewayOptions _options;
    private readonly ILogger _logger;
    private readonly HttpForwarding _forwarding = new();
    private readonly WeightedChoice _choice;
    private readonly ChangeSignal _signal = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private volatile Snapshot _snapshot = new(RouteTable.Build([], ""), BackendTable.Empty);
    private LoopbackHttpServer? _server;

    private HttpRouteGateway(Kubernetes client, GatewayOptions options, ILogger logger)
    {
        _client = client;
        _options = options;
        _logger = logger;
        _choice = new WeightedChoice(options.Seed);
    }

    /// <summary>Where the gateway listens, e.g. http://127.0.0.1:8080/.</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Loads the routes once, starts listening and starts following changes.</summary>
    public static async Task<HttpRouteGateway> StartAsync(string kubeconfigPath, GatewayOptions options, ILoggerFactory loggers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath), new UserAgentHandler("whetstone-gateway"));
        var gateway = new HttpRouteGateway(client, options, loggers.CreateLogger<HttpRouteGateway>());
        try
        {
            await gateway.ReloadAsync(ct).ConfigureAwait(false);
            gateway._server = await LoopbackHttpServer.StartAsync(IPAddress.Parse(options.BindAddress), options.Port, gateway.HandleAsync, ct).ConfigureAwait(false);
            gateway.Address = new Uri($"http://{options.BindAddress}:{gateway._server.Port}/");
            gateway.StartLoops();
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void StartLoops()
    {
        var token = _stopping.Token;
        _loops.Add(Task.Run(() => SignalLoop.RunAsync("Gateway", ReloadAsync, _signal, _options.ResyncInterval, _logger, token), token));
        _loops.Add(Task.Run(() => ResourceWatch.RunAsync<V1Service>(
            "services", c => _client.CoreV1.WatchListServiceForAllNamespacesAsync(cancellationToken: c), [_signal], _logger, token), token));
        _loops.Add(Task.Run(() => ResourceWatch.RunAsync<V1Endpoints>(
            "endpoints", c => _client.CoreV1.WatchListEndpointsForAllNamespacesAsync(cancellationToken: c), [_signal], _logger, token), token));
        _loops.Add(Task.Run(() => ResourceWatch.RunAsync(
            "httproutes", c => _client.CustomObjects.WatchListCustomObjectForAllNamespacesAsync(
                HttpRouteCrd.Group, HttpRouteCrd.Version, HttpRouteCrd.Plural, cancellationToken: c),
            [_signal], _logger, token), token));
    }

    private async Task ReloadAsync(CancellationToken ct)
    {
        var routeList = await _client.CustomObjects.ListClusterCustomObjectAsync<JsonElement>(
            HttpRouteCrd.Group, HttpRouteCrd.Version, HttpRouteCrd.Plural, cancellationToken: ct).ConfigureAwait(false);
        var routes = (JsonNode.Parse(routeList.GetRawText())?["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var services = (await _client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)).Items;
        var endpoints = (await _client.CoreV1.ListEndpointsForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)).Items;
        var table = RouteTable.Build(routes, _options.GatewayName);
        _snapshot = new Snapshot(table, BackendTable.Build(services, endpoints));
        var known = services.Select(s => (s.Metadata.NamespaceProperty, s.Metadata.Name)).ToHashSet();
        foreach (var route in routes.Where(r => HttpRouteReader.AttachedParentRefs(r, _options.GatewayName).Count > 0))
        {
            await PersistStatusAsync(route, (ns, name) => known.Contains((ns, name)), ct).ConfigureAwait(false);
        }
    }

    private async Task PersistStatusAsync(JsonObject route, Func<string, string, bool> serviceExists, CancellationToken ct)
    {
        var status = HttpRouteStatusBuilder.Build(route, _options, serviceExists, DateTime.UtcNow);
        if (JsonNode.DeepEquals(status, route["status"]))
        {
            return;
        }

        var (ns, name) = (route["metadata"]!["namespace"]!.GetValue<string>(), route["metadata"]!["name"]!.GetValue<string>());
        var patch = new JsonObject { ["status"] = status }.ToJsonString();
        await _client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(patch, V1Patch.PatchType.MergePatch), HttpRouteCrd.Group, HttpRouteCrd.Version, ns, HttpRouteCrd.Plural, name, cancellationToken: ct)
            .ConfigureAwait(false);
        _logger.LogInformation("HTTPRoute {Namespace}/{Route} status updated", ns, name);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var snapshot = _snapshot;
        var request = context.Request;
        var rule = snapshot.Routes.Find(new RouteRequest(
            request.Host.Host,
            request.Path.Value ?? "/",
            request.Method,
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            request.Query.ToDictionary(q => q.Key, q => q.Value.FirstOrDefault() ?? "", StringComparer.Ordinal)));
        if (rule is null)
        {
            await AnswerAsync(context, StatusCodes.Status404NotFound, "no HTTPRoute matches this request").ConfigureAwait(false);
            return;
        }

        var chosen = Choose(rule, request);
        if (chosen is not { } index || !rule.Backends[index].IsService
            || !snapshot.Backends.Contains(rule.Backends[index].Namespace, rule.Backends[index].Service, rule.Backends[index].Port))
        {
            await AnswerAsync(context, StatusCodes.Status500InternalServerError, $"HTTPRoute {rule.RouteNamespace}/{rule.RouteName}: no valid backend").ConfigureAwait(false);
            return;
        }

        var backend = rule.Backends[index];
        var ready = snapshot.Backends.ReadyEndpoints(backend.Namespace, backend.Service, backend.Port);
        if (ready.Count == 0)
        {
            await AnswerAsync(context, StatusCodes.Status503ServiceUnavailable, $"no ready endpoints for service {backend.Namespace}/{backend.Service}").ConfigureAwait(false);
            return;
        }

        await _forwarding.ForwardAsync(context, ready[_choice.ChooseUniform(ready.Count)]).ConfigureAwait(false);
    }

    // A request carrying the route's sticky header goes to its user's bucket; any other is weighted on its own.
    private int? Choose(RouteRule rule, HttpRequest request)
    {
        IReadOnlyList<int> weights = [.. rule.Backends.Select(b => b.Weight)];
        return rule.StickyHeader is { } header && request.Headers[header].ToString() is { Length: > 0 } key
            ? StickyBuckets.Choose(StickyBuckets.Bucket(key), weights)
            : _choice.Choose(weights);
    }

    private static async Task AnswerAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsync(message + "\n", context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Stops listening and following changes.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected on shutdown.
        }

        _forwarding.Dispose();
        _signal.Dispose();
        _stopping.Dispose();
        _client.Dispose();
    }

    private sealed record Snapshot(RouteTable Routes, BackendTable Backends);
}
