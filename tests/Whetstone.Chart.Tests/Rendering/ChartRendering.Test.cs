using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Whetstone.Operator.Configuration;
using Whetstone.Operator.Hosting;

namespace Whetstone.Chart.Tests.Rendering;

public sealed class ChartRenderingTest
{
    [Fact]
    public async Task A_misspelt_value_fails_the_install()
    {
        var result = await ChartRenderer.RunAsync("replica: 3\n");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("replica", result.Error, StringComparison.Ordinal);
        Assert.Contains("Additional property", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_misspelt_nested_value_fails_the_install()
    {
        var result = await ChartRenderer.RunAsync("worker:\n  perJobServiceAcounts: false\n");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("perJobServiceAcounts", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubernetes_older_than_1_25_is_refused_because_the_CRDs_use_CEL()
    {
        var result = await ChartRenderer.RunAsync(kubeVersion: "1.24.9");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("kubeVersion", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await ChartRenderer.RunAsync(kubeVersion: "1.25.0")).ExitCode);
    }

    [Fact]
    public async Task The_rendered_CRDs_are_the_generated_ones_and_kept_on_uninstall()
    {
        var chart = await ChartRenderer.RenderAsync();

        var rendered = chart.OfKind("CustomResourceDefinition").ToDictionary(c => c.Name);
        Assert.Equal(Directory.GetFiles(RepositoryRoot.Combine("crds"), "*.yaml").Length, rendered.Count);
        foreach (var crd in chart.OfKind("CustomResourceDefinition"))
        {
            Assert.Equal("keep", (string?)crd.Json["metadata"]!["annotations"]!["helm.sh/resource-policy"]);
            Assert.Equal("whetstone", (string?)crd.Json["metadata"]!["labels"]!["app.kubernetes.io/instance"]);
        }

        foreach (var name in rendered.Keys)
        {
            var source = RepositoryRoot.Combine("crds", name + ".yaml");
            var chartCopy = Path.Combine(ChartRenderer.ChartPath, "files", "crds", name + ".yaml");
            Assert.True(File.ReadAllText(source) == File.ReadAllText(chartCopy), $"helm/whetstone/files/crds/{name}.yaml differs from crds/{name}.yaml: copy crds/*.yaml into the chart after `whetstone crds`");
            Assert.True(
                JsonNode.DeepEquals(Without(ToPlain(source)), Without(rendered[name].Json)),
                $"the rendered {name} differs from crds/{name}.yaml beyond labels and annotations");
        }
    }

    [Fact]
    public async Task The_CRDs_are_left_out_or_not_kept_when_asked()
    {
        var notInstalled = await ChartRenderer.RenderAsync("crds: {install: false}\n");
        var notKept = await ChartRenderer.RenderAsync("crds: {keep: false}\n");

        Assert.Empty(notInstalled.OfKind("CustomResourceDefinition"));
        Assert.Contains("crds.install=false", notInstalled.Notes, StringComparison.Ordinal);
        Assert.All(notKept.OfKind("CustomResourceDefinition"), c => Assert.Null(c.Json["metadata"]!["annotations"]?["helm.sh/resource-policy"]));
    }

    [Fact]
    public async Task Two_replicas_elect_a_leader_roll_one_at_a_time_and_keep_one_through_disruptions()
    {
        var chart = await ChartRenderer.RenderAsync("replicas: 2\n");

        var deployment = chart.Single("Deployment", "whetstone-operator").Json;
        Assert.Equal("RollingUpdate", (string?)deployment["spec"]!["strategy"]!["type"]);
        Assert.Equal(0L, (long)deployment["spec"]!["strategy"]!["rollingUpdate"]!["maxUnavailable"]!);
        Assert.True(Settings(chart).GetValue<bool>("Whetstone:Operator:LeaderElection"));
        Assert.Equal(1L, (long)chart.Single("PodDisruptionBudget", "whetstone-operator").Json["spec"]!["minAvailable"]!);
        Assert.Single(chart.OfKind("Role"), r => r.Name == "whetstone-operator-leader-election" && r.Namespace == ChartRenderer.ReleaseNamespace);
        var env = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();
        Assert.Contains(env, e => (string?)e!["name"] == "Whetstone__LeaderElection__LeaseName" && (string?)e["value"] == "whetstone-operator");
    }

    [Fact]
    public async Task One_replica_runs_without_leader_election_and_is_recreated_on_upgrade()
    {
        var chart = await ChartRenderer.RenderAsync("replicas: 1\n");

        Assert.Equal("Recreate", (string?)chart.Single("Deployment", "whetstone-operator").Json["spec"]!["strategy"]!["type"]);
        Assert.False(Settings(chart).GetValue<bool>("Whetstone:Operator:LeaderElection"));
        Assert.Empty(chart.OfKind("PodDisruptionBudget"));
        Assert.DoesNotContain(chart.OfKind("Role"), r => r.Name.EndsWith("leader-election", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_operator_runs_non_root_on_a_read_only_filesystem_with_nothing_to_escalate()
    {
        var chart = await ChartRenderer.RenderAsync();

        var pod = chart.Single("Deployment", "whetstone-operator").Json["spec"]!["template"]!["spec"]!;
        Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!);
        Assert.Equal("RuntimeDefault", (string?)pod["securityContext"]!["seccompProfile"]!["type"]);
        var container = pod["containers"]![0]!["securityContext"]!;
        Assert.True((bool)container["readOnlyRootFilesystem"]!);
        Assert.False((bool)container["allowPrivilegeEscalation"]!);
        Assert.Equal("ALL", (string?)container["capabilities"]!["drop"]![0]);
        Assert.Equal("/readyz", (string?)pod["containers"]![0]!["readinessProbe"]!["httpGet"]!["path"]);
    }

    [Fact]
    public async Task The_settings_the_chart_writes_bind_to_the_operators_options()
    {
        var chart = await ChartRenderer.RenderAsync(ChartValues.Namespaced + "\nlogLevel: Warning\n");

        var settings = Settings(chart);
        var operatorOptions = settings.GetSection(OperatorOptions.Section).Get<OperatorOptions>()!;
        var workers = settings.GetSection(WorkerOptions.Section).Get<WorkerOptions>()!;
        Assert.Equal("team-a", operatorOptions.WatchNamespace);
        Assert.False(workers.PerJobServiceAccounts);
        Assert.Equal("whetstone-worker", workers.ServiceAccountName);
        Assert.Equal("Warning", settings["Logging:LogLevel:Default"]);
        Assert.True(workers.PodSecurityContext!.RunAsNonRoot);
        Assert.Equal("RuntimeDefault", workers.PodSecurityContext.SeccompProfile.Type);
        Assert.True(workers.SecurityContext!.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], workers.SecurityContext.Capabilities.Drop);
        Assert.Equal("/tmp", workers.ScratchMountPath);
        Assert.Equal("10Gi", workers.EphemeralStorageRequest);
        Assert.Equal("/var/cache/whetstone/models", workers.ModelCacheHostPath);
        Assert.Equal("100Gi", workers.ModelCacheMaxSize);
    }

    [Theory]
    [InlineData(null, "text", "simple")]
    [InlineData("logFormat: json\n", "json", SafeJsonConsoleFormatter.FormatterName)]
    public async Task The_log_format_reaches_the_operator_container_and_picks_its_console_formatter(string? values, string expected, string formatter)
    {
        var chart = await ChartRenderer.RenderAsync(values);

        var environment = OperatorEnvironment(chart);
        var format = new ConfigurationBuilder().AddInMemoryCollection(environment).Build()[OperatorLogging.FormatKey];
        Assert.Equal(expected, format);
        // What the operator does with the value at start: the console logger it registers.
        using var services = new ServiceCollection().AddLogging(logging => OperatorLogging.AddConsole(logging, format)).BuildServiceProvider();
        Assert.Equal(formatter, services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName);
    }

    [Theory]
    [InlineData(null, 600)]
    [InlineData("rollouts: {canaryReadyTimeout: \"00:02:30\"}\n", 150)]
    public async Task The_canary_ready_timeout_reaches_the_operators_options(string? values, int seconds)
    {
        var chart = await ChartRenderer.RenderAsync(values);

        var environment = OperatorEnvironment(chart);
        // Bound the way the operator binds its section at start.
        var options = new ConfigurationBuilder().AddInMemoryCollection(environment).Build().GetSection(OperatorOptions.Section).Get<OperatorOptions>()!;
        Assert.Equal(TimeSpan.FromSeconds(seconds), options.CanaryReadyTimeout);
    }

    [Fact]
    public async Task A_canary_ready_timeout_that_is_not_a_duration_fails_the_install()
    {
        var result = await ChartRenderer.RunAsync("rollouts: {canaryReadyTimeout: 10m}\n");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("canaryReadyTimeout", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_log_format_outside_text_and_json_fails_the_install()
    {
        var result = await ChartRenderer.RunAsync("logFormat: yaml\n");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("logFormat must be one of the following: \"text\", \"json\"", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_settings_change_restarts_the_operator_pods()
    {
        string Checksum(RenderedChart c) => (string)c.Single("Deployment", "whetstone-operator").Json["spec"]!["template"]!["metadata"]!["annotations"]!["checksum/settings"]!;

        Assert.NotEqual(Checksum(await ChartRenderer.RenderAsync()), Checksum(await ChartRenderer.RenderAsync("logLevel: Debug\n")));
    }

    [Fact]
    public async Task Monitoring_objects_render_only_when_enabled_and_carry_the_rules_and_dashboard_files()
    {
        var plain = await ChartRenderer.RenderAsync();
        var monitored = await ChartRenderer.RenderAsync(ChartValues.Monitoring);

        Assert.DoesNotContain(plain.Objects, o => o.ApiVersion.StartsWith("monitoring.coreos.com", StringComparison.Ordinal));
        Assert.Equal("prometheus", (string?)monitored.Single("ServiceMonitor", "whetstone-operator").Json["metadata"]!["labels"]!["release"]);
        monitored.Single("PodMonitor", "whetstone-operator");
        var rules = monitored.Single("PrometheusRule", "whetstone-operator").Json["spec"]!["groups"]!.AsArray();
        Assert.NotEmpty(rules);
        var dashboard = monitored.Single("ConfigMap", "whetstone-dashboard").Json;
        Assert.Equal("1", (string?)dashboard["metadata"]!["labels"]!["grafana_dashboard"]);
        Assert.Equal("Whetstone", (string?)JsonNode.Parse((string)dashboard["data"]!["whetstone.json"]!)!["title"]);
    }

    [Fact]
    public async Task A_ServiceMonitor_without_the_Service_is_refused()
    {
        var result = await ChartRenderer.RunAsync("metrics:\n  service: {enabled: false}\n  serviceMonitor: {enabled: true}\n");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("metrics.service.enabled", result.Error, StringComparison.Ordinal);
    }

    private static IConfiguration Settings(RenderedChart chart)
    {
        var json = (string)chart.Single("ConfigMap", "whetstone-operator-settings").Json["data"]!["appsettings.Production.json"]!;
        return new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();
    }

    private static JsonNode ToPlain(string yamlFile) => RenderedChart.Parse("---\n" + File.ReadAllText(yamlFile), string.Empty).Objects[0].Json;

    private static JsonNode Without(JsonNode crd)
    {
        var copy = crd.DeepClone();
        copy["metadata"]!.AsObject().Remove("labels");
        copy["metadata"]!.AsObject().Remove("annotations");
        return copy;
    }

    // The operator container's plain environment variables as configuration keys (`__` is `:`), as the host reads them.
    private static Dictionary<string, string?> OperatorEnvironment(RenderedChart chart) =>
        chart.Single("Deployment", "whetstone-operator").Json["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray()
            .Where(variable => variable!["value"] is not null)
            .ToDictionary(variable => ((string)variable!["name"]!).Replace("__", ":", StringComparison.Ordinal), variable => (string?)variable!["value"]);
}
