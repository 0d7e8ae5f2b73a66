using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Whetstone.LocalCluster.Api;
using Whetstone.LocalCluster.CustomResources;
using Whetstone.LocalCluster.Resources;
using Whetstone.LocalCluster.Security;
using Whetstone.LocalCluster.Security.Rbac;
using Whetstone.LocalCluster.Storage;
using Whetstone.LocalCluster.Watching;

namespace Whetstone.LocalCluster;

/// <summary>
/// The embedded control plane's API server: a Kubernetes-compatible REST API over HTTPS (its own CA, a
/// bearer token), state in SQLite under <see cref="DataDirectory"/>, and a kubeconfig for kubectl and
/// the client libraries at <see cref="KubeconfigPath"/>. Stopping it loses nothing; starting it again on
/// the same data directory serves the same objects, resourceVersions, CA and token.
/// </summary>
public sealed class LocalClusterServer : IAsyncDisposable
{
    /// <summary>The largest request body the server reads (16 MiB); a larger one is answered 413 with a Status.</summary>
    public const long MaxRequestBodySize = 16 * 1024 * 1024;

    private readonly WebApplication _app;
    private readonly ObjectStore _store;
    private readonly WatchStreamer _watches;
    private readonly CancellationTokenSource _stopping;

    private LocalClusterServer(
        WebApplication app, ObjectStore store, WatchStreamer watches, ApiRequestCounter requests, Uri baseAddress, string kubeconfigPath, string dataDirectory, CancellationTokenSource stopping)
    {
        _stopping = stopping;
        _app = app;
        Requests = requests;
        _store = store;
        _watches = watches;
        BaseAddress = baseAddress;
        KubeconfigPath = kubeconfigPath;
        DataDirectory = dataDirectory;
    }

    /// <summary>The HTTPS address the server listens on, e.g. https://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The kubeconfig written for this server (context "whetstone-local", namespace "default").</summary>
    public string KubeconfigPath { get; }

    /// <summary>The data directory (absolute).</summary>
    public string DataDirectory { get; }

    /// <summary>The object store behind the API (tests reach it to provoke what a health check must see).</summary>
    internal ObjectStore Store => _store;

    /// <summary>Watch lines encoded so far: one per event and form, however many watchers received it.</summary>
    internal long WatchLinesEncoded => _watches.LinesEncoded;

    /// <summary>The resource requests received since this server started, by client, verb and resource.</summary>
    public ApiRequestCounter Requests { get; }

    /// <summary>Opens (or creates) the data directory, starts listening and writes the kubeconfig.</summary>
    public static async Task<LocalClusterServer> StartAsync(LocalClusterOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(dataDirectory);
        if (!IPAddress.TryParse(options.BindAddress, out var address))
        {
            throw new ArgumentException($"BindAddress '{options.BindAddress}' is not an IP address", nameof(options));
        }
        var certificates = ClusterCertificates.LoadOrCreate(dataDirectory, options.BindAddress);
        var token = ApiSecurity.LoadOrCreateToken(dataDirectory);
        var store = new ObjectStore(Path.Combine(dataDirectory, "cluster.db"), options.EventWindow);
        var stopping = new CancellationTokenSource();
        try
        {
            var registry = new ResourceRegistry();
            var service = new ObjectService(store, registry);
            Bootstrap(service);
            var requests = new ApiRequestCounter();
            var security = new SecurityServices(ServiceAccountTokens.LoadOrCreate(dataDirectory, store), new RbacAuthorizer(store));
            var watches = new WatchStreamer(store, options.BookmarkInterval);
            var handler = new ApiRequestHandler(service, new PodLogReader(dataDirectory), watches, requests, security);
            var authentication = new ApiSecurity(token, security.Tokens, security.Authorizer);

            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = dataDirectory });
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Limits.MaxRequestBodySize = MaxRequestBodySize;
                kestrel.Listen(address, options.Port, listen => listen.UseHttps(certificates.ServerCertificate));
            });
            var app = builder.Build();
            var errors = new ApiErrorBoundary((options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<LocalClusterServer>(), MaxRequestBodySize);
            app.Use(errors.InvokeAsync);
            // Long requests (watches, followed logs) end when the server stops, as kube-apiserver closes them on
            // shutdown: without this, the graceful stop waited out its 30 s timeout for a watch that a client had
            // opened again in the moment between the store closing its watches and the listener closing.
            app.Use(async (context, next) =>
            {
                using var request = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping.Token);
                context.RequestAborted = request.Token;
                await next(context);
            });
            app.Use(authentication.InvokeAsync);
            app.Run(handler.HandleAsync);
            await app.StartAsync(ct);

            var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var port = new Uri(bound.Replace("[::]", "localhost", StringComparison.Ordinal)).Port;
            var host = address.Equals(IPAddress.Any) ? "127.0.0.1" : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
            var baseAddress = new Uri($"https://{host}:{port}/");
            var kubeconfigPath = Path.Combine(dataDirectory, "kubeconfig");
            KubeconfigWriter.Write(kubeconfigPath, baseAddress, certificates.CaPem, token);
            return new LocalClusterServer(app, store, watches, requests, baseAddress, kubeconfigPath, dataDirectory, stopping);
        }
        catch
        {
            store.Dispose();
            stopping.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The namespaces every cluster has with their <c>default</c> ServiceAccounts, the bootstrap RBAC policy, and the
    /// resources of CRDs stored before a restart.
    /// </summary>
    private static void Bootstrap(ObjectService service)
    {
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            if (service.Store.Get(BuiltInResources.Namespaces.StorageKey, "", ns) is null)
            {
                service.Create(BuiltInResources.Namespaces, "", new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } },
                    WriteOptions.Default with { FieldManager = "whetstone-apiserver" });
            }
        }
        foreach (var ns in service.Store.List(BuiltInResources.Namespaces.StorageKey, null, null, _ => true, int.MaxValue).Items)
        {
            service.EnsureDefaultServiceAccount(ns.Name);
        }
        foreach (var (type, objects) in new[]
                 {
                     (BuiltInResources.ClusterRoles, BootstrapPolicy.ClusterRoles()), (BuiltInResources.ClusterRoleBindings, BootstrapPolicy.ClusterRoleBindings()),
                 })
        {
            foreach (var obj in objects.Where(o => service.Store.Get(type.StorageKey, "", o["metadata"]!["name"]!.GetValue<string>()) is null))
            {
                service.Create(type, "", obj, WriteOptions.Default with { FieldManager = "whetstone-apiserver" });
            }
        }
        foreach (var crd in service.Store.List(BuiltInResources.CustomResourceDefinitions.StorageKey, null, null, _ => true, int.MaxValue).Items)
        {
            var (types, _) = CrdRegistration.Build(crd.Object);
            service.Registry.SetCustomResource(crd.Name, types);
        }
        InstallBundledCrds(service);
    }

    /// <summary>
    /// CRDs every embedded cluster serves from the start: the Gateway API's HTTPRoute, which the gateway of
    /// <c>whetstone up</c> routes by. Installed when missing; one a user replaced is left as it is.
    /// </summary>
    private static void InstallBundledCrds(ObjectService service)
    {
        var crd = (JsonObject)Patching.YamlJson.Parse(Gateway.HttpRouteCrd.ReadYaml())!;
        var name = crd["metadata"]!["name"]!.GetValue<string>();
        if (service.Store.Get(BuiltInResources.CustomResourceDefinitions.StorageKey, "", name) is null)
        {
            service.Create(BuiltInResources.CustomResourceDefinitions, "", crd, WriteOptions.Default with { FieldManager = "whetstone-apiserver" });
        }
    }

    /// <summary>
    /// Ends every long request (watches, followed logs, including any opened while stopping), stops listening once the
    /// requests in flight are answered, then closes the database.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _store.Dispose();
        _stopping.Dispose();
    }
}
