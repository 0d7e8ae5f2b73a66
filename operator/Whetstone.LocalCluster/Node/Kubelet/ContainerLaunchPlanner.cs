using System.Collections;
using System.Globalization;
using k8s;
using k8s.Models;

namespace Whetstone.LocalCluster.Node.Kubelet;

/// <summary>
/// Turns a container spec into a process to start: maps the image, reads the ConfigMaps and Secrets its
/// environment names, writes the Pod's ServiceAccount credentials, resolves the environment and command line, finds
/// the executable.
/// </summary>
internal sealed class ContainerLaunchPlanner(IKubernetes client, LocalNodeOptions options, ServiceAccountCredentials credentials)
{
    public async Task<(ContainerLaunch? Launch, LaunchProblem? Problem)> PlanAsync(
        V1Pod pod, V1Container container, PodPaths paths, CancellationToken ct)
    {
        var image = ImageResolver.Resolve(container.Image ?? "", options.Images);
        if (image is null)
        {
            return (null, new LaunchProblem(
                "ErrImagePull", $"image \"{container.Image}\" has no local command: add it to the node's Images configuration", false));
        }

        var (access, accessProblem) = await credentials.PrepareAsync(pod, paths, ct).ConfigureAwait(false);
        if (accessProblem is not null)
        {
            return (null, accessProblem);
        }

        var sources = await ReadEnvironmentSourcesAsync(pod, container, ct).ConfigureAwait(false);
        var scope = new Dictionary<string, string>(image.Env, StringComparer.Ordinal);
        foreach (var (name, value) in NodeVariables(pod, container, paths).Concat(access))
        {
            scope[name] = value;
        }

        var resolution = ContainerEnvironment.Resolve(pod, container, sources, scope);
        if (resolution.Error is not null)
        {
            return (null, new LaunchProblem("CreateContainerConfigError", resolution.Error, false));
        }

        foreach (var (name, value) in resolution.Variables)
        {
            scope[name] = value;
        }

        var environment = HostEnvironment();
        foreach (var (name, value) in scope)
        {
            environment[name] = value;
        }

        var commandLine = ContainerCommandLine.Compose(image, container, scope);
        var executable = commandLine.LocateExecutable(environment.GetValueOrDefault("PATH"), paths.WorkDirectory);
        if (executable is null)
        {
            return (null, new LaunchProblem(
                "StartError", $"exec: \"{commandLine.FileName}\": executable file not found in $PATH", true));
        }

        return (new ContainerLaunch(executable, commandLine.Arguments, environment, "local://" + executable), null);
    }

    /// <summary>
    /// Variables the node provides: where the Pod's files are (its stand-in for volumes and for
    /// /dev/termination-log), and PORT, the
    /// container's first declared port, which a server in the Pod should listen on at its own address,
    /// WHETSTONE_POD_IP (also what a fieldRef to status.podIP gives), and WHETSTONE_MODEL_CACHE, one folder per node
    /// that every worker on it shares as its model cache (what a hostPath volume gives workers on a cluster).
    /// </summary>
    private Dictionary<string, string> NodeVariables(V1Pod pod, V1Container container, PodPaths paths)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HOSTNAME"] = pod.Metadata.Name,
            ["WHETSTONE_POD_NAME"] = pod.Metadata.Name,
            ["WHETSTONE_POD_NAMESPACE"] = pod.Metadata.NamespaceProperty ?? "default",
            ["WHETSTONE_POD_UID"] = pod.Metadata.Uid ?? "",
            ["WHETSTONE_POD_IP"] = PodIpOf(pod),
            ["WHETSTONE_POD_WORKDIR"] = paths.WorkDirectory,
            ["WHETSTONE_TERMINATION_MESSAGE_PATH"] = paths.TerminationMessageFile(container.Name),
            ["WHETSTONE_MODEL_CACHE"] = Path.Combine(Path.GetFullPath(options.DataDirectory), "nodes", options.NodeName, "model-cache"),
        };
        var port = container.Ports?.FirstOrDefault()?.ContainerPort;
        if (port is not null)
        {
            variables["PORT"] = port.Value.ToString(CultureInfo.InvariantCulture);
        }

        return variables;
    }

    // The kubelet's PodWorker writes the address it was given into its copy of the Pod before planning.
    private static string PodIpOf(V1Pod pod) => pod.Status?.PodIP ?? NodeObject.HostIp;

    private async Task<EnvironmentSources> ReadEnvironmentSourcesAsync(V1Pod pod, V1Container container, CancellationToken ct)
    {
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        var (configMapNames, secretNames) = ContainerEnvironment.CalculateReferences(container);
        var configMaps = new Dictionary<string, V1ConfigMap>(StringComparer.Ordinal);
        foreach (var name in configMapNames)
        {
            var configMap = await ReadOrNullAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: ct)).ConfigureAwait(false);
            if (configMap is not null)
            {
                configMaps[name] = configMap;
            }
        }

        var secrets = new Dictionary<string, V1Secret>(StringComparer.Ordinal);
        foreach (var name in secretNames)
        {
            var secret = await ReadOrNullAsync(() => client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: ct)).ConfigureAwait(false);
            if (secret is not null)
            {
                secrets[name] = secret;
            }
        }

        return new EnvironmentSources(configMaps, secrets, NodeObject.HostIp, PodIpOf(pod), NodeObject.CalculateCapacity(options));
    }

    private static async Task<T?> ReadOrNullAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (Exception error) when (KubernetesErrors.IsNotFound(error))
        {
            return null;
        }
    }

    // Processes inherit the node's environment (PATH, HOME, DOTNET_ROOT …) because the mapped commands are
    // host executables, not self-contained images; but never the node's own credentials: a Pod gets its
    // ServiceAccount's kubeconfig or none.
    private static Dictionary<string, string> HostEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = entry.Value as string ?? "";
        }

        environment.Remove("KUBECONFIG");
        environment.Remove("WHETSTONE_SERVICE_ACCOUNT_DIR");

        return environment;
    }
}
