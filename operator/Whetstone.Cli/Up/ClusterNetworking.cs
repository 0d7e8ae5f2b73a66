using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Whetstone.LocalCluster;
using Whetstone.LocalCluster.Gateway;
using Whetstone.LocalCluster.Monitoring;

namespace Whetstone.Cli.Up;

/// <summary>
/// What <c>whetstone up</c> adds in front of the cluster: the HTTPRoute gateway (options from the config file's
/// <c>Gateway</c> section, port from <c>--gateway-port</c>) and, with <c>--prometheus</c>, Prometheus. A gateway
/// port that is taken is logged and the cluster runs without a gateway; Prometheus failing to start stops <c>up</c>.
/// </summary>
internal sealed class ClusterNetworking : IAsyncDisposable
{
    private readonly HttpRouteGateway? _gateway;
    private readonly PrometheusServer? _prometheus;

    private ClusterNetworking(HttpRouteGateway? gateway, PrometheusServer? prometheus)
    {
        _gateway = gateway;
        _prometheus = prometheus;
    }

    public static async Task<ClusterNetworking> StartAsync(
        LocalClusterServer server, UpSettings settings, IConfiguration configuration, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger("whetstone.up");
        var options = new GatewayOptions();
        configuration.GetSection("Gateway").Bind(options);
        options.Port = settings.GatewayPort ?? options.Port;
        HttpRouteGateway? gateway = null;
        try
        {
            gateway = await HttpRouteGateway.StartAsync(server.KubeconfigPath, options, loggers, ct);
            logger.LogInformation("Gateway listening at {Address} for HTTPRoutes with parentRef {Gateway}", gateway.Address, options.GatewayName);
        }
        catch (Exception error) when (error is IOException or System.Net.Sockets.SocketException)
        {
            logger.LogError("The gateway could not listen on {Address}:{Port} ({Message}); running without it (choose another with --gateway-port)",
                options.BindAddress, options.Port, error.Message);
        }

        PrometheusServer? prometheus = null;
        if (settings.Prometheus)
        {
            prometheus = await PrometheusServer.StartAsync(
                server.BaseAddress, server.DataDirectory, new PrometheusOptions { Port = settings.PrometheusPort }, logger, ct);
        }

        return new ClusterNetworking(gateway, prometheus);
    }

    /// <summary>Prints the gateway's and Prometheus' addresses next to the kubeconfig.</summary>
    public void PrintAddresses()
    {
        if (_gateway is not null)
        {
            Console.WriteLine($"Gateway (HTTPRoutes with parentRefs: [{{name: whetstone}}]): {_gateway.Address}");
        }

        if (_prometheus is not null)
        {
            Console.WriteLine($"Prometheus: {_prometheus.Address}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_prometheus is not null)
        {
            await _prometheus.DisposeAsync();
        }

        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }
}
