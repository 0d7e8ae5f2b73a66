using System.Text.Json.Nodes;
using Whetstone.Api.Serialization;
using Whetstone.Cli.Crds;

namespace Whetstone.Cli.Tests.Crds;

public sealed class CrdGeneratorTest
{
    private static readonly IReadOnlyList<GeneratedCrd> Crds = CrdGenerator.GenerateAll();

    [Fact]
    public void Committed_crds_match_the_api_types()
    {
        var drift = CrdDrift.Find(RepositoryRoot.Combine("crds"), Crds);

        Assert.True(drift.Count == 0, string.Join("\n", drift));
    }

    [Fact]
    public void Generating_twice_gives_the_same_bytes()
    {
        var again = CrdGenerator.GenerateAll();

        Assert.Equal(Crds.Select(c => c.Yaml), again.Select(c => c.Yaml));
    }

    [Fact]
    public void Each_file_is_a_CustomResourceDefinition_the_official_client_reads_strictly()
    {
        Assert.All(Crds, crd =>
        {
            var definition = k8s.KubernetesYaml.Deserialize<k8s.Models.V1CustomResourceDefinition>(crd.Yaml, strict: true);
            var version = Assert.Single(definition.Spec.Versions);

            Assert.Equal(crd.FileName, definition.Metadata.Name + ".yaml");
            Assert.NotNull(version.Subresources.Status);
            Assert.Equal(["spec"], version.Schema.OpenAPIV3Schema.Required);
            Assert.NotEmpty(version.AdditionalPrinterColumns);
        });
    }

    [Fact]
    public void The_yaml_reads_back_to_the_generated_tree()
    {
        Assert.All(Crds, crd => Assert.Equal(crd.Definition.ToJsonString(), JsonYaml.Parse(crd.Yaml).ToJsonString()));
    }

    public static TheoryData<string, string, string, string[]> Names() => new()
    {
        { "finetunejobs.whetstone.dev.yaml", "FineTuneJob", "ftj", ["Phase", "Progress", "Loss", "Val-Loss", "Age"] },
        { "compressionjobs.whetstone.dev.yaml", "CompressionJob", "cpj", ["Phase", "Ratio", "Speedup", "Acc-Drop", "Age"] },
        { "evaluationruns.whetstone.dev.yaml", "EvaluationRun", "evr", ["Phase", "Verdict", "Model", "Age"] },
        { "modelrollouts.whetstone.dev.yaml", "ModelRollout", "mro", ["Phase", "Step", "Weight", "Stable", "Canary", "Age"] },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_crd_is_namespaced_with_status_short_name_category_and_the_printer_columns_of_the_api(
        string file, string kind, string shortName, string[] columns)
    {
        var crd = Crds.Single(c => c.FileName == file).Definition;
        var spec = crd["spec"]!;
        var version = spec["versions"]![0]!;

        Assert.Equal("apiextensions.k8s.io/v1", crd["apiVersion"]!.GetValue<string>());
        Assert.Equal("whetstone.dev", spec["group"]!.GetValue<string>());
        Assert.Equal("Namespaced", spec["scope"]!.GetValue<string>());
        Assert.Equal(kind, spec["names"]!["kind"]!.GetValue<string>());
        Assert.Equal([shortName], spec["names"]!["shortNames"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["whetstone"], spec["names"]!["categories"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("v1alpha1", version["name"]!.GetValue<string>());
        Assert.NotNull(version["subresources"]!["status"]);
        Assert.Equal(columns, version["additionalPrinterColumns"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void Every_schema_node_is_structural_and_described()
    {
        foreach (var crd in Crds)
        {
            var problems = new List<string>();
            Check("", crd.OpenApiV3Schema, problems, isRoot: true);
            Assert.True(problems.Count == 0, $"{crd.FileName}:\n{string.Join("\n", problems)}");
        }
    }

    [Theory]
    [InlineData("finetunejobs.whetstone.dev.yaml", "spec.properties.baseModel", "exactly one of uri, fineTuneJobRef or compressionJobRef")]
    [InlineData("finetunejobs.whetstone.dev.yaml", "spec.properties.dataset.properties.split", "must sum to 1")]
    [InlineData("compressionjobs.whetstone.dev.yaml", "spec.properties.steps.items", "exactly one of prune, distill, quantize or convert")]
    [InlineData("modelrollouts.whetstone.dev.yaml", "spec.properties.strategy.properties.steps", "setWeight must not decrease")]
    [InlineData("modelrollouts.whetstone.dev.yaml", "spec.properties.strategy.properties.steps.items", "exactly one of setWeight or pause")]
    [InlineData("evaluationruns.whetstone.dev.yaml", "spec", "every gate must name a suite")]
    public void Cross_field_rules_are_cel_validations_on_the_right_node(string file, string path, string message)
    {
        JsonNode node = Crds.Single(c => c.FileName == file).OpenApiV3Schema["properties"]!;
        foreach (var segment in path.Split('.'))
        {
            node = node[segment]!;
        }

        var messages = node["x-kubernetes-validations"]!.AsArray().Select(v => v!["message"]!.GetValue<string>());
        Assert.Contains(messages, m => m.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Spec_required_fields_enums_ranges_and_defaults_come_from_the_attributes()
    {
        var schema = Crds.Single(c => c.FileName == "finetunejobs.whetstone.dev.yaml").OpenApiV3Schema;
        var spec = schema["properties"]!["spec"]!;
        var epochs = spec["properties"]!["hyperparameters"]!["properties"]!["epochs"]!;
        var method = spec["properties"]!["method"]!["properties"]!["type"]!;

        Assert.Equal(["spec"], schema["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["baseModel", "dataset"], spec["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(1, epochs["minimum"]!.GetValue<long>());
        Assert.Equal(3, epochs["default"]!.GetValue<long>());
        Assert.Equal(["LoRA", "Full"], method["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("Passes over the training split.", epochs["description"]!.GetValue<string>());
    }

    private static void Check(string path, JsonNode schema, List<string> problems, bool isRoot = false)
    {
        var isIntOrString = schema["x-kubernetes-int-or-string"] is not null;
        if (schema["type"] is null && !isIntOrString)
        {
            problems.Add($"{path}: no type");
        }

        if (schema["x-kubernetes-preserve-unknown-fields"] is not null)
        {
            problems.Add($"{path}: preserve-unknown-fields");
        }

        if (!isRoot && path != ".metadata" && schema["description"] is null && !path.EndsWith("[]", StringComparison.Ordinal) && !path.EndsWith("{}", StringComparison.Ordinal))
        {
            problems.Add($"{path}: no description");
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                Check($"{path}.{name}", child!, problems);
            }
        }

        if (schema["items"] is { } items)
        {
            Check(path + "[]", items, problems);
        }

        if (schema["additionalProperties"] is JsonObject values)
        {
            Check(path + "{}", values, problems);
        }
    }
}
