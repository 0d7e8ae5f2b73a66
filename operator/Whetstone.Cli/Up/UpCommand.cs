using System.CommandLine;

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
        var command = new Command("up", "Run the embedded Kubernetes-compatible cluster (API server + local node) in the foreground")
        {
            dataDir, port, gpuSlots, config,
        };
        command.SetAction((parse, ct) => EmbeddedCluster.RunAsync(
            new UpSettings(parse.GetValue(dataDir)!, parse.GetValue(port), parse.GetValue(gpuSlots), parse.GetValue(config)), ct));
        return command;
    }
}
