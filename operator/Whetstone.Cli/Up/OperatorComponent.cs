using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Whetstone.Operator.Hosting;

namespace Whetstone.Cli.Up;

/// <summary>
/// The operator, inside <c>whetstone up</c>: the same host as in a cluster, configured for the embedded one (its
/// kubeconfig, the worker image the local node maps to the built worker, no artifact-store Secret because the
/// embedded default stores artifacts under file://). Settings under <c>Operator</c> in the config file override these.
/// </summary>
internal sealed class OperatorComponent : IEmbeddedComponent
{
    /// <summary>The worker image name the embedded node maps to the local whetstone-worker executable.</summary>
    public const string WorkerImage = "whetstone-worker";

    public string Name => "operator";

    public async Task<IAsyncDisposable> StartAsync(EmbeddedClusterContext context, CancellationToken ct)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Whetstone:Operator:Kubeconfig"] = context.KubeconfigPath,
            ["Whetstone:Workers:Image"] = WorkerImage,
            ["Whetstone:Workers:ArtifactStoreSecretName"] = "",
            [OperatorLogging.FormatKey] = context.LogFormat,
            ["Logging:LogLevel:Microsoft"] = "Warning",
            ["Logging:LogLevel:System.Net.Http"] = "Warning",
        };
        foreach (var (key, value) in context.Configuration.GetSection("Operator").AsEnumerable(makePathsRelative: true))
        {
            if (value is not null)
            {
                settings[key] = value;
            }
        }

        // `whetstone up` owns Ctrl-C and SIGTERM and stops its components in order; the hosted operator must not
        // register the console lifetime's own signal handlers (they took SIGINT first and `up` never stopped).
        var app = OperatorApplication.Build([], settings, services => services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>());
        await app.StartAsync(ct).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        context.Loggers.CreateLogger("whetstone.up").LogInformation("Operator metrics at {Address}/metrics", address);
        return new Running(app);
    }

    /// <summary>A host lifetime that starts at once and listens to no process signal.</summary>
    private sealed class EmbeddedHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class Running(WebApplication app) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
