using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Whetstone.LocalCluster.Node.Deployments;
using Whetstone.LocalCluster.Node.Kubelet;
using Whetstone.LocalCluster.Node.Scheduling;
using Whetstone.LocalCluster.Node.Services;

namespace Whetstone.LocalCluster.Node;

/// <summary>
/// A single-machine Kubernetes node: registers a Node, schedules Pods onto it, runs their containers as local
/// processes, and plays the rest of a cluster's moving parts for one machine: the endpoints and Deployment
/// controllers of kube-controller-manager and an HTTP Service proxy in place of kube-proxy. It talks to the API server only through the Kubernetes client, like a real scheduler and
/// kubelet, so it works against any server the kubeconfig points at.
/// </summary>
public sealed class LocalNode : IAsyncDisposable
{
    private readonly Kubernetes _client;
    private readonly LocalKubelet _kubelet;
    private readonly CancellationTokenSource _stopping;
    private readonly List<Task> _loops;
    private readonly ChangeSignal[] _signals;
    private readonly ServiceProxy _proxy;

    private LocalNode(Kubernetes client, LocalKubelet kubelet, ServiceProxy proxy, CancellationTokenSource stopping, List<Task> loops, ChangeSignal[] signals)
    {
        _proxy = proxy;
        _client = client;
        _kubelet = kubelet;
        _stopping = stopping;
        _loops = loops;
        _signals = signals;
    }

    /// <summary>
    /// Validates <paramref name="options"/>, registers the Node with the API server that
    /// <paramref name="kubeconfigPath"/> points at, and starts the scheduler, kubelet and service loops.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public static async Task<LocalNode> StartAsync(LocalNodeOptions options, string kubeconfigPath, ILoggerFactory loggers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        LocalNodeOptionsValidation.ThrowIfInvalid(options);
        options.DataDirectory = Path.GetFullPath(options.DataDirectory);
        // Its own User-Agent, so the server tells the node's requests from the operator's (as the kubelet's are).
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath), new UserAgentHandler("whetstone-node"));
        var registration = new NodeRegistration(client, options, loggers.CreateLogger<NodeRegistration>());
        try
        {
            await registration.RegisterAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        var stopping = new CancellationTokenSource();
        var schedulerSignal = new ChangeSignal();
        var kubeletSignal = new ChangeSignal();
        var serviceSignal = new ChangeSignal();
        var endpointsSignal = new ChangeSignal();
        var proxySignal = new ChangeSignal();
        var deploymentSignal = new ChangeSignal();
        var planner = new ContainerLaunchPlanner(client, options, new ServiceAccountCredentials(client, Path.GetFullPath(kubeconfigPath)));
        var kubelet = new LocalKubelet(client, options, planner, kubeletSignal, loggers);
        var scheduler = new LocalScheduler(client, options, () => registration.Registered, schedulerSignal, loggers.CreateLogger<LocalScheduler>());
        var services = new ServiceAddresses(client, options, serviceSignal, loggers.CreateLogger<ServiceAddresses>());
        var endpoints = new EndpointsController(client, options, endpointsSignal, loggers.CreateLogger<EndpointsController>());
        var proxy = new ServiceProxy(client, options, proxySignal, loggers.CreateLogger<ServiceProxy>());
        var deployments = new DeploymentController(client, options, deploymentSignal, loggers.CreateLogger<DeploymentController>());
        var watchLogger = loggers.CreateLogger<LocalNode>();
        var token = stopping.Token;
        var loops = new List<Task>
        {
            Task.Run(() => registration.RunHeartbeatsAsync(token), token),
            Task.Run(() => scheduler.RunAsync(token), token),
            Task.Run(() => kubelet.RunAsync(token), token),
            Task.Run(() => services.RunAsync(token), token),
            Task.Run(() => endpoints.RunAsync(token), token),
            Task.Run(() => proxy.RunAsync(token), token),
            Task.Run(() => deployments.RunAsync(token), token),
            Task.Run(() => ResourceWatch.RunAsync<V1Pod>(
                "pods", c => client.CoreV1.WatchListPodForAllNamespacesAsync(cancellationToken: c),
                [schedulerSignal, kubeletSignal, endpointsSignal, deploymentSignal], watchLogger, token), token),
            Task.Run(() => ResourceWatch.RunAsync<V1Service>(
                "services", c => client.CoreV1.WatchListServiceForAllNamespacesAsync(cancellationToken: c),
                [serviceSignal, endpointsSignal, proxySignal], watchLogger, token), token),
            Task.Run(() => ResourceWatch.RunAsync<V1Endpoints>(
                "endpoints", c => client.CoreV1.WatchListEndpointsForAllNamespacesAsync(cancellationToken: c), [proxySignal], watchLogger, token), token),
            Task.Run(() => ResourceWatch.RunAsync<V1Deployment>(
                "deployments", c => client.AppsV1.WatchListDeploymentForAllNamespacesAsync(cancellationToken: c), [deploymentSignal], watchLogger, token), token),
        };
        watchLogger.LogInformation(
            "Node {Node} ready: cpu {Cpu}, memory {Memory}, {GpuSlots} × {GpuResource}, data in {DataDirectory}",
            options.NodeName, options.Cpu, options.Memory, options.GpuSlots, options.GpuResourceName, options.DataDirectory);
        return new LocalNode(
            client, kubelet, proxy, stopping, loops, [schedulerSignal, kubeletSignal, serviceSignal, endpointsSignal, proxySignal, deploymentSignal]);
    }

    /// <summary>Stops the loops and every container process (SIGTERM, a short grace, then SIGKILL).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected on shutdown.
        }

        await _proxy.DisposeAsync().ConfigureAwait(false);
        await _kubelet.DisposeAsync().ConfigureAwait(false);
        foreach (var signal in _signals)
        {
            signal.Dispose();
        }

        _stopping.Dispose();
        _client.Dispose();
    }
}
