using System.CommandLine;
using k8s;

namespace Whetstone.Cli.Kube;

/// <summary>
/// The options every cluster command shares: <c>--kubeconfig</c> (default: <c>$KUBECONFIG</c>, then
/// <c>~/.kube/config</c>, then the in-cluster account) and <c>-n/--namespace</c> (default: the context's namespace,
/// then <c>default</c>).
/// </summary>
internal sealed class ClusterOptions
{
    /// <summary>The <c>--kubeconfig</c> option.</summary>
    public Option<string?> Kubeconfig { get; } = new("--kubeconfig")
    {
        Description = "Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)",
    };

    /// <summary>The <c>-n/--namespace</c> option.</summary>
    public Option<string?> Namespace { get; } = new("--namespace", "-n")
    {
        Description = "Namespace (default: the kubeconfig context's, then \"default\")",
    };

    /// <summary>Adds both options to a command.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Kubeconfig);
        command.Options.Add(Namespace);
    }

    /// <summary>Builds the client for the parsed options.</summary>
    public ClusterConnection Connect(ParseResult parse)
    {
        var path = parse.GetValue(Kubeconfig);
        KubernetesClientConfiguration configuration;
        try
        {
            if (!string.IsNullOrEmpty(path))
            {
                if (!File.Exists(path))
                {
                    throw new CliUsageException($"--kubeconfig: file {path} does not exist");
                }

                configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
            }
            else
            {
                configuration = KubernetesClientConfiguration.BuildDefaultConfig();
            }
        }
        catch (k8s.Exceptions.KubeConfigException error)
        {
            throw new CliUsageException($"--kubeconfig: {error.Message}");
        }

        var ns = parse.GetValue(Namespace);
        return new ClusterConnection(new Kubernetes(configuration), string.IsNullOrEmpty(ns) ? configuration.Namespace ?? "default" : ns);
    }
}
