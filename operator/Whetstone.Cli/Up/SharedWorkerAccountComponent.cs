using System.Net;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;
using Whetstone.Operator.Configuration;
using Whetstone.Operator.Workers;

namespace Whetstone.Cli.Up;

/// <summary>
/// With <c>Operator:Whetstone:Workers:PerJobServiceAccounts</c> false, workers run as one shared account, which on a
/// cluster the Helm chart creates. The embedded cluster enforces RBAC too, so <c>up</c> creates what the chart would
/// (<see cref="SharedWorkerAccess"/>): the ClusterRole, and the ServiceAccount and RoleBinding in every active
/// namespace, checked again every two seconds so a namespace created later gets them (a worker pod created before
/// waits, as the kubelet retries a missing account). Does nothing when jobs get their own accounts (the default).
/// </summary>
internal sealed class SharedWorkerAccountComponent : IEmbeddedComponent
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    public string Name => "shared worker account";

    public async Task<IAsyncDisposable> StartAsync(EmbeddedClusterContext context, CancellationToken ct)
    {
        var perJob = context.Configuration["Operator:Whetstone:Workers:PerJobServiceAccounts"];
        if (!bool.TryParse(perJob, out var perJobAccounts) || perJobAccounts)
        {
            return new Stopped(null, Task.CompletedTask);
        }

        var name = context.Configuration["Operator:Whetstone:Workers:ServiceAccountName"] is { Length: > 0 } configured ? configured : new WorkerOptions().ServiceAccountName;
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(context.KubeconfigPath));
        var logger = context.Loggers.CreateLogger("whetstone.up");
        await IgnoreExistingAsync(() => client.RbacAuthorizationV1.CreateClusterRoleAsync(SharedWorkerAccess.ClusterRole(name), cancellationToken: ct)).ConfigureAwait(false);
        await EnsureNamespacesAsync(client, name, ct).ConfigureAwait(false);
        logger.LogInformation("Workers share the ServiceAccount {Name}, created in every namespace", name);
        var stopping = new CancellationTokenSource();
        var loop = Task.Run(() => RunAsync(client, name, logger, stopping.Token), CancellationToken.None);
        return new Stopped(stopping, loop, client);
    }

    private static async Task RunAsync(Kubernetes client, string name, ILogger logger, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, ct).ConfigureAwait(false);
                await EnsureNamespacesAsync(client, name, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (error is HttpOperationException or HttpRequestException)
            {
                logger.LogWarning("Could not create the shared worker account: {Message}", error.Message);
            }
        }
    }

    private static async Task EnsureNamespacesAsync(Kubernetes client, string name, CancellationToken ct)
    {
        var namespaces = await client.CoreV1.ListNamespaceAsync(cancellationToken: ct).ConfigureAwait(false);
        var accounts = await client.CoreV1.ListServiceAccountForAllNamespacesAsync(fieldSelector: $"metadata.name={name}", cancellationToken: ct).ConfigureAwait(false);
        var bindings = await client.RbacAuthorizationV1.ListRoleBindingForAllNamespacesAsync(fieldSelector: $"metadata.name={name}", cancellationToken: ct).ConfigureAwait(false);
        foreach (var ns in namespaces.Items.Where(n => n.Status?.Phase != "Terminating" && n.Metadata.DeletionTimestamp is null).Select(n => n.Metadata.Name))
        {
            if (accounts.Items.All(a => a.Metadata.NamespaceProperty != ns))
            {
                await IgnoreExistingAsync(() => client.CoreV1.CreateNamespacedServiceAccountAsync(SharedWorkerAccess.ServiceAccount(ns, name), ns, cancellationToken: ct)).ConfigureAwait(false);
            }

            if (bindings.Items.All(b => b.Metadata.NamespaceProperty != ns))
            {
                await IgnoreExistingAsync(() => client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(SharedWorkerAccess.RoleBinding(ns, name), ns, cancellationToken: ct)).ConfigureAwait(false);
            }
        }
    }

    private static async Task IgnoreExistingAsync(Func<Task> create)
    {
        try
        {
            await create().ConfigureAwait(false);
        }
        catch (HttpOperationException error) when (error.Response?.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.Forbidden)
        {
            // Already there, or the namespace began terminating since it was listed.
        }
    }

    private sealed class Stopped(CancellationTokenSource? stopping, Task loop, IDisposable? client = null) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (stopping is not null)
            {
                await stopping.CancelAsync().ConfigureAwait(false);
            }

            await loop.ConfigureAwait(false);
            stopping?.Dispose();
            client?.Dispose();
        }
    }
}
