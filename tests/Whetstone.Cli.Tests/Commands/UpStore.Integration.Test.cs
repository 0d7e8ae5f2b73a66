using System.Text.Json;
using System.Text.RegularExpressions;
using Whetstone.Cli.Up;

namespace Whetstone.Cli.Tests.Commands;

/// <summary>What <c>whetstone up</c> provides before anyone applies anything: the CRDs, the examples' store and its logs.</summary>
[Collection(EmbeddedClusterCollection.Name)]
public sealed partial class UpStoreIntegrationTest(EmbeddedClusterFixture cluster)
{
    [Fact]
    public async Task Up_installs_the_four_crds_itself_and_they_are_established()
    {
        var crds = await CliProcess.Kubectl(cluster.Kubeconfig, "get", "crd", "-o", "name");

        foreach (var plural in new[] { "finetunejobs", "compressionjobs", "evaluationruns", "modelrollouts" })
        {
            Assert.Contains($"customresourcedefinition.apiextensions.k8s.io/{plural}.whetstone.dev", crds, StringComparison.Ordinal);
            var established = await CliProcess.Kubectl(cluster.Kubeconfig, "get", "crd", $"{plural}.whetstone.dev",
                "-o", "jsonpath={.status.conditions[?(@.type==\"Established\")].status}");
            Assert.Equal("True", established.Trim());
        }
    }

    [Fact]
    public void Up_seeds_every_input_the_runnable_examples_name_with_the_shipped_files()
    {
        string[] examples = ["finetunejob.yaml", "pipeline/01-finetunejob.yaml", "pipeline/03-evaluationrun.yaml", "pipeline/04-modelrollout.yaml", "modelrollout.yaml"];
        var inputs = examples
            .SelectMany(example => StoreUri().Matches(File.ReadAllText(RepositoryRoot.Combine("examples", example))).Select(m => m.Groups[1].Value))
            .Where(path => !path.StartsWith("models/support-lora", StringComparison.Ordinal) && !path.StartsWith("evaluations/", StringComparison.Ordinal))
            .Distinct()
            .ToList();

        Assert.NotEmpty(inputs);
        foreach (var input in inputs)
        {
            var path = Path.Combine(cluster.Store, input);
            Assert.True(File.Exists(path) || File.Exists(Path.Combine(path, "config.json")), $"{input} is not in the seeded store {cluster.Store}");
        }

        foreach (var (target, source) in ExampleStore.Layout)
        {
            Assert.Equal(File.ReadAllBytes(RepositoryRoot.Combine("examples", source)), File.ReadAllBytes(Path.Combine(cluster.Store, target)));
        }
    }

    [Fact]
    public void Up_with_log_format_json_writes_one_json_object_a_line_with_full_utc_timestamps_for_up_and_the_operator()
    {
        var entries = cluster.UpOutput.Split('\n')
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToList();

        Assert.NotEmpty(entries);
        Assert.All(entries, entry => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", entry.GetProperty("Timestamp").GetString()));
        Assert.Contains(entries, entry => entry.GetProperty("Category").GetString() == "whetstone.up");
        Assert.Contains(entries, entry => entry.GetProperty("Category").GetString()!.StartsWith("Whetstone.Operator", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"file:///var/lib/whetstone/(\S+?)/?[}\s,]")]
    private static partial Regex StoreUri();
}
