using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Whetstone.Cli.Up;

/// <summary>What a component joining <c>whetstone up</c> gets: where the cluster is and how to log.</summary>
/// <param name="KubeconfigPath">Kubeconfig of the embedded API server (talk to it with KubernetesClient).</param>
/// <param name="DataDirectory">The cluster's data directory (absolute).</param>
/// <param name="Configuration">The merged configuration (config file, WHETSTONE_ environment variables).</param>
/// <param name="Loggers">Logger factory writing to the console log of <c>up</c>.</param>
/// <param name="LogFormat">The console log format, <c>simple</c> or <c>json</c> (<c>--log-format</c>).</param>
internal sealed record EmbeddedClusterContext(string KubeconfigPath, string DataDirectory, IConfiguration Configuration, ILoggerFactory Loggers, string LogFormat = "simple");
