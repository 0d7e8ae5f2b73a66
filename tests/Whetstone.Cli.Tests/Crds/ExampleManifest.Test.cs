using System.Text.Json.Nodes;
using Whetstone.Api.Serialization;
using Whetstone.Schema;

namespace Whetstone.Cli.Tests.Crds;

/// <summary>
/// The examples against the committed CRDs, through the same validator the embedded API server uses, with kubectl's
/// strict field validation: every valid example passes, every invalid one fails on the field its first line names.
/// </summary>
public sealed class ExampleManifestTest
{
    private static readonly SchemaValidationOptions Strict = new(UnknownFieldHandling.Reject);

    private static readonly Lazy<IReadOnlyDictionary<string, CrdSchemaValidator>> Validators = new(CompileCommittedCrds);

    public static TheoryData<string> ValidExamples() => Data(
        Directory.GetFiles(RepositoryRoot.Combine("examples"), "*.yaml")
            .Concat(Directory.GetFiles(RepositoryRoot.Combine("examples", "pipeline"), "*.yaml")));

    public static TheoryData<string> InvalidExamples() => Data(Directory.GetFiles(RepositoryRoot.Combine("examples", "invalid"), "*.yaml"));

    [Theory]
    [MemberData(nameof(ValidExamples))]
    public void Valid_example_passes_the_generated_schema(string example)
    {
        var manifest = JsonYaml.Parse(File.ReadAllText(RepositoryRoot.Combine(example)));

        var result = ValidatorFor(manifest).Validate(manifest, null, Strict);

        Assert.True(result.IsValid, $"{example}:\n{string.Join("\n", result.Errors)}");
    }

    /// <summary>The status the operator and workers write (fixtures with every status field) passes the status schema.</summary>
    public static TheoryData<string> ObjectsWithStatus() =>
        Data(Directory.GetFiles(RepositoryRoot.Combine("tests", "Whetstone.Api.Tests", "V1Alpha1", "Fixtures"), "*.yaml"));

    [Theory]
    [MemberData(nameof(ObjectsWithStatus))]
    public void Objects_with_a_full_status_pass_the_generated_schema(string fixture)
    {
        var manifest = JsonYaml.Parse(File.ReadAllText(RepositoryRoot.Combine(fixture)));

        var result = ValidatorFor(manifest).Validate(manifest, null, Strict);

        Assert.True(result.IsValid, $"{fixture}:\n{string.Join("\n", result.Errors)}");
        Assert.NotNull(manifest["status"]);
    }

    [Theory]
    [MemberData(nameof(InvalidExamples))]
    public void Invalid_example_fails_on_the_field_its_comment_names(string example)
    {
        var text = File.ReadAllText(RepositoryRoot.Combine(example));
        var field = ExpectedField(example, text);
        var manifest = JsonYaml.Parse(text);

        var result = ValidatorFor(manifest).Validate(manifest, null, Strict);

        Assert.False(result.IsValid, $"{example} passed validation");
        Assert.True(
            result.Errors.Any(e => e.Field == field),
            $"{example}: expected an error on {field}, got:\n{string.Join("\n", result.Errors)}");
    }

    [Fact]
    public void The_api_server_fills_in_the_defaults_the_types_declare()
    {
        var manifest = JsonYaml.Parse(File.ReadAllText(RepositoryRoot.Combine("examples", "pipeline", "01-finetunejob.yaml")));

        var result = ValidatorFor(manifest).Validate(manifest, null, Strict);

        var spec = result.Object["spec"]!;
        Assert.Equal(16, spec["hyperparameters"]!["batchSize"]!.GetValue<long>());   // set in the example: kept
        Assert.Equal("cosine", spec["hyperparameters"]!["lrSchedule"]!.GetValue<string>());
        Assert.Equal(200, spec["checkpointEverySteps"]!.GetValue<long>());
        Assert.Equal("nvidia.com/gpu", spec["resources"]!["gpu"]!["resourceName"]!.GetValue<string>());
        Assert.Null(manifest["spec"]!["checkpointEverySteps"]);
    }

    [Fact]
    public void There_are_invalid_examples_for_each_kind_of_rule()
    {
        var comments = Directory.GetFiles(RepositoryRoot.Combine("examples", "invalid"), "*.yaml")
            .Select(File.ReadAllText)
            .Select(text => text.Split('\n')[0])
            .ToList();

        Assert.True(comments.Count >= 10, $"{comments.Count} invalid examples");
        Assert.All(comments, line => Assert.StartsWith("# invalid: spec.", line, StringComparison.Ordinal));
    }

    private static CrdSchemaValidator ValidatorFor(JsonNode manifest) =>
        Validators.Value[manifest["kind"]!.GetValue<string>()];

    private static string ExpectedField(string example, string text)
    {
        const string Prefix = "# invalid: ";
        var firstLine = text.Split('\n')[0];
        Assert.True(firstLine.StartsWith(Prefix, StringComparison.Ordinal), $"{example}: first line must be `{Prefix}<field path>: <why>`");
        var rest = firstLine[Prefix.Length..];
        return rest[..rest.IndexOf(": ", StringComparison.Ordinal)];
    }

    private static IReadOnlyDictionary<string, CrdSchemaValidator> CompileCommittedCrds()
    {
        var validators = new Dictionary<string, CrdSchemaValidator>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(RepositoryRoot.Combine("crds"), "*.yaml"))
        {
            var crd = JsonYaml.Parse(File.ReadAllText(file));
            var kind = crd["spec"]!["names"]!["kind"]!.GetValue<string>();
            validators[kind] = CrdSchemaValidator.Compile(crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!);
        }

        return validators;
    }

    private static TheoryData<string> Data(IEnumerable<string> paths)
    {
        var data = new TheoryData<string>();
        foreach (var path in paths.Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepositoryRoot.Path, path));
        }

        return data;
    }
}
