using System.CommandLine;
using Whetstone.Operator.Hosting;

namespace Whetstone.Cli.Up;

/// <summary><c>whetstone up</c>: the embedded cluster (API server and local node) in the foreground.</summary>
internal static class UpCommand
{
    public static Command Create()
    {
        var dataDir = new Option<string>("--data-dir")
        {
            Description = "Where the cluster keeps its state, logs and kubeconfig; a second `up` on it resumes the same cluster",
            DefaultValueFactory = _ => ".whetstone",
        };
        var port = new Option<int>("--port")
        {
            Description = "HTTPS port of the API server (0 picks a free one; the kubeconfig is rewritten at each start)",
            DefaultValueFactory = _ => 0,
        };
        var gpuSlots = new Option<int?>("--gpu-slots")
        {
            Description = "How many GPU slots the local node offers (overrides LocalNode:GpuSlots from the config file)",
        };
        var config = new Option<string?>("--config")
        {
            Description = "JSON file whose \"LocalNode\" section configures the node (images, labels, taints, cpu, memory)",
        };
        var gatewayPort = new Option<int?>("--gateway-port")
        {
            Description = "HTTP port of the gateway that serves HTTPRoutes attached to Gateway \"whetstone\" (default 8080, Gateway:Port in the config file; 0 picks a free one)",
        };
        var prometheus = new Option<bool>("--prometheus")
        {
            Description = "Also start Prometheus (Debian's /usr/bin/prometheus), discovering pods annotated prometheus.io/scrape through the API server",
        };
        var prometheusPort = new Option<int>("--prometheus-port")
        {
            Description = "Prometheus' port on 127.0.0.1 (0 picks a free one)",
            DefaultValueFactory = _ => 9090,
        };
        var store = new Option<string>("--store")
        {
            Description = "File artifact store seeded with the shipped model and datasets at the paths the examples name (never overwriting); \"\" seeds nothing",
            DefaultValueFactory = _ => ExampleStore.DefaultRoot,
        };
        var logFormat = new Option<string>("--log-format")
        {
            Description = "Console log format of up and the operator: simple or text (one line, full UTC timestamps) or json (one JSON object a line, with scopes)",
            DefaultValueFactory = _ => OperatorLogging.Simple,
        };
        logFormat.AcceptOnlyFromAmong(OperatorLogging.Simple, OperatorLogging.Text, OperatorLogging.Json);
        var command = new Command("up", "Run the embedded Kubernetes-compatible cluster (API server, local node, Service proxy, gateway) in the foreground")
        {
            dataDir, port, gpuSlots, config, gatewayPort, prometheus, prometheusPort, store, logFormat,
        };
        command.SetAction((parse, ct) => EmbeddedCluster.RunAsync(
            new UpSettings(
                parse.GetValue(dataDir)!, parse.GetValue(port), parse.GetValue(gpuSlots), parse.GetValue(config),
                parse.GetValue(gatewayPort), parse.GetValue(prometheus), parse.GetValue(prometheusPort),
                parse.GetValue(store), parse.GetValue(logFormat)!), ct));
        return command;
    }
}
