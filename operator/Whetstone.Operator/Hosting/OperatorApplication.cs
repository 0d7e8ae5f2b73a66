using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Compression;
using Whetstone.Operator.Configuration;
using Whetstone.Operator.Evaluation;
using Whetstone.Operator.FineTuning;
using Whetstone.Operator.Preflight;
using Whetstone.Operator.Rollouts;
using Whetstone.Operator.Runtime.Clients;
using Whetstone.Operator.Runtime.Controllers;
using Whetstone.Operator.Runtime.Events;
using Whetstone.Operator.Runtime.Informers;
using Whetstone.Operator.Runtime.Leadership;
using Whetstone.Operator.Runtime.Metrics;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.Hosting;

/// <summary>
/// Builds the operator's ASP.NET Core host: controllers, leader election, <c>/healthz</c>, <c>/readyz</c> and
/// <c>/metrics</c> (OpenTelemetry, Prometheus format). The same host runs in a cluster and inside <c>whetstone up</c>;
/// only configuration differs.
/// </summary>
public static class OperatorApplication
{
    /// <summary>Builds the host from command-line arguments and optional extra configuration.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <param name="settings">Extra configuration.</param>
    /// <param name="configureKinds">Registers further kinds (each with its one <c>Add…()</c> line), beside the built-in ones.</param>
    public static WebApplication Build(string[] args, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureKinds = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Configuration.AddCommandLine(args, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [OperatorLogging.FormatSwitch] = OperatorLogging.FormatKey,
        });
        OperatorLogging.AddConsole(builder.Logging, builder.Configuration[OperatorLogging.FormatKey]);
        AddOperator(builder.Services, builder.Configuration, configureKinds);

        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", (OperatorReadiness readiness) => Results.Text(readiness.Describe(), statusCode: readiness.IsReady ? 200 : 503));
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    /// <summary>Registers the operator's services.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration.</param>
    /// <param name="configureKinds">Registers further kinds, beside the built-in ones.</param>
    public static IServiceCollection AddOperator(IServiceCollection services, IConfiguration configuration, Action<IServiceCollection>? configureKinds = null)
    {
        services.Configure<OperatorOptions>(configuration.GetSection(OperatorOptions.Section));
        services.Configure<WorkerOptions>(configuration.GetSection(WorkerOptions.Section));
        services.Configure<LeaderElectionOptions>(configuration.GetSection("Whetstone:LeaderElection"));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new LeaseFence(sp.GetRequiredService<IOptions<LeaderElectionOptions>>().Value.RenewDeadline));
        services.AddSingleton<IKubernetes>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<OperatorOptions>>().Value;
            // With leader election every write passes the lease fence: a leader paused past its lease writes nothing.
            return options.LeaderElection
                ? new Kubernetes(BuildClientConfiguration(options), new LeaseFenceHandler(sp.GetRequiredService<LeaseFence>()))
                : new Kubernetes(BuildClientConfiguration(options));
        });
        services.AddSingleton<OperatorMetrics>();
        services.AddSingleton<OperatorReadiness>();
        services.AddSingleton(sp => new EventRecorder(sp.GetRequiredService<IKubernetes>(), "whetstone-operator", sp.GetRequiredService<ILogger<EventRecorder>>()));
        services.AddPreflight(configuration);
        services.AddFineTuneJobs();
        services.AddCompressionJobs();
        services.AddEvaluationRuns();
        services.AddModelRollouts();
        configureKinds?.Invoke(services);
        services.AddHostedService<OperatorService>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(OperatorMetrics.MeterName)
            .AddRuntimeInstrumentation()
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
        return services;
    }

    private static KubernetesClientConfiguration BuildClientConfiguration(OperatorOptions options)
    {
        if (!string.IsNullOrEmpty(options.Kubeconfig))
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig);
        }

        return KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildDefaultConfig();
    }
}
