namespace Whetstone.Cli.Up;

/// <summary>The command-line options of <c>whetstone up</c>.</summary>
/// <param name="DataDirectory">Where the cluster keeps its state.</param>
/// <param name="Port">The API server's HTTPS port (0: any free one).</param>
/// <param name="GpuSlots">GPU slots the node offers, overriding the config file.</param>
/// <param name="ConfigFile">JSON configuration (LocalNode, Operator, Gateway sections).</param>
/// <param name="GatewayPort">The gateway's HTTP port, overriding Gateway:Port (0: any free one).</param>
/// <param name="Prometheus">Whether to start Prometheus.</param>
/// <param name="PrometheusPort">Prometheus' port (0: any free one).</param>
/// <param name="Store">The file artifact store seeded with the examples' model and datasets (empty: none).</param>
/// <param name="LogFormat">Console log format: <c>simple</c> or <c>json</c>.</param>
internal sealed record UpSettings(
    string DataDirectory, int Port, int? GpuSlots, string? ConfigFile, int? GatewayPort = null, bool Prometheus = false, int PrometheusPort = 9090,
    string? Store = ExampleStore.DefaultRoot, string LogFormat = "simple");
