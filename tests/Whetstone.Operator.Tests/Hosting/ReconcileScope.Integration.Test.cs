using System.Text.Json;
using k8s;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.Hosting;

/// <summary>
/// The operator executable against the embedded API server, in each log format: a line written while a FineTuneJob
/// is reconciled (its preflight verdict, logged by the preflight check, not by the controller loop) carries the
/// object's <c>namespace/name</c> as a scope, which the shared controller loop opens around every reconcile.
/// </summary>
public sealed class ReconcileScopeIntegrationTest(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>Installs the CRDs once per class (this runs before each test; the cluster is the class's).</summary>
    public async Task InitializeAsync()
    {
        var crds = await cluster.Client.ApiextensionsV1.ListCustomResourceDefinitionAsync();
        if (!crds.Items.Any(crd => crd.Metadata.Name == $"{Plurals.FineTuneJobs}.{WhetstoneApi.Group}"))
        {
            await OperatorFixture.ApplyCrdsAsync(cluster.Client);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_reconcile_line_in_the_text_format_shows_the_object_after_the_arrow()
    {
        await using var process = StartOperator("simple");
        var name = await CreateJobWithMissingModelAsync("scoped-text");

        var line = await WaitForPreflightLineAsync(process, name, line => line);

        Assert.Contains($" => FineTuneJob default/{name} ", line, StringComparison.Ordinal);
        Assert.Contains("info: Whetstone.Operator.Workers.WorkerJobPreflight", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reconcile_line_in_the_json_format_has_a_scope_with_namespace_and_name()
    {
        await using var process = StartOperator("json");
        var name = await CreateJobWithMissingModelAsync("scoped-json");

        var line = await WaitForPreflightLineAsync(process, name, line => line.StartsWith('{') ? JsonDocument.Parse(line).RootElement.GetProperty("Message").GetString() ?? "" : "");

        var scope = Assert.Single(JsonDocument.Parse(line).RootElement.GetProperty("Scopes").EnumerateArray(),
            s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("Object", out _));
        Assert.Equal($"FineTuneJob default/{name}", scope.GetProperty("Message").GetString());
        Assert.Equal($"default/{name}", scope.GetProperty("Object").GetString());
        Assert.Equal("default", scope.GetProperty("Namespace").GetString());
        Assert.Equal(name, scope.GetProperty("Name").GetString());
        Assert.Equal("FineTuneJob", scope.GetProperty("Kind").GetString());
    }

    private OperatorProcess StartOperator(string format) => OperatorProcess.Start(cluster.Server.KubeconfigPath, new Dictionary<string, string>
    {
        ["Whetstone:Operator:LogFormat"] = format,
        ["Logging:LogLevel:Whetstone"] = "Information",
    });

    /// <summary>A FineTuneJob in <c>default</c> whose base model does not exist: its reconcile logs a failed preflight and starts no pod.</summary>
    private async Task<string> CreateJobWithMissingModelAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 7)];
        var missing = new Uri(Path.Combine(Path.GetTempPath(), $"whetstone-missing-{Guid.NewGuid():N}")).AbsoluteUri;
        var job = new FineTuneJob
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
            Spec = new FineTuneJobSpec
            {
                BaseModel = new ModelSource { Uri = missing + "/model/" },
                Dataset = new FineTuneDataset { Uri = missing + "/data.jsonl", Format = "chat" },
                Output = new OutputLocation { Uri = missing + "/out/" },
            },
        };
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(job, WhetstoneApi.Group, WhetstoneApi.Version, "default", Plurals.FineTuneJobs);
        return name;
    }

    /// <summary>Waits for the line whose message (read by <paramref name="message"/>) is the preflight verdict of <paramref name="name"/>.</summary>
    private static async Task<string> WaitForPreflightLineAsync(OperatorProcess process, string name, Func<string, string> message)
    {
        string? found = null;
        try
        {
            await Eventually.TrueAsync(() =>
            {
                found = process.Output.FirstOrDefault(line => message(line).Contains($"default/{name} generation 1: preflight", StringComparison.Ordinal));
                return found is not null;
            }, $"the operator logs the preflight verdict of default/{name}", Patience);
        }
        catch (TimeoutException e)
        {
            Assert.Fail($"{e.Message}; its last lines:\n{string.Join('\n', process.Output.TakeLast(30))}");
        }

        return found!;
    }
}
