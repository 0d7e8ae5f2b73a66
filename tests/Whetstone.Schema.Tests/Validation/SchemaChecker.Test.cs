using static Whetstone.Schema.Tests.TestSchemas;

namespace Whetstone.Schema.Tests.Validation;

public sealed class SchemaCheckerTest
{
    private static string[] Errors(string specSchema, string spec) =>
        CompileSpec(specSchema).Validate(Resource(spec), UnknownFieldHandling.Reject).Messages();

    [Theory]
    [InlineData("""{"type": "number", "multipleOf": 0.25}""", "0.75", null)]
    [InlineData("""{"type": "number", "multipleOf": 0.25}""", "0.3", "spec.x: Invalid value: 0.3: spec.x in body should be a multiple of 0.25")]
    [InlineData("""{"type": "integer", "multipleOf": 8}""", "24", null)]
    [InlineData("""{"type": "integer", "multipleOf": 8}""", "12", "spec.x: Invalid value: 12: spec.x in body should be a multiple of 8")]
    [InlineData("""{"type": "number", "maximum": 1, "exclusiveMaximum": true}""", "0.999", null)]
    [InlineData("""{"type": "integer", "minimum": -5}""", "-6", "spec.x: Invalid value: -6: spec.x in body should be greater than or equal to -5")]
    [InlineData("""{"type": "number", "minimum": 0.00001}""", "0", "spec.x: Invalid value: 0: spec.x in body should be greater than or equal to 1e-05")]
    [InlineData("""{"type": "object", "minProperties": 1, "additionalProperties": {"type": "string"}}""", "{}", "spec.x: Invalid value: 0: spec.x in body should have at least 1 properties")]
    [InlineData("""{"type": "object", "maxProperties": 1, "additionalProperties": {"type": "string"}}""", """{"a": "1", "b": "2"}""", "spec.x: Too many: 2: must have at most 1 items")]
    [InlineData("""{"type": "string", "maxLength": 3}""", "\"héé\"", null)]
    [InlineData("""{"type": "string", "maxLength": 1}""", "\"ab\"", "spec.x: Too long: may not be more than 1 byte")]
    [InlineData("""{"type": "boolean"}""", "\"yes\"", "spec.x: Invalid value: \"string\": spec.x in body must be of type boolean: \"string\"")]
    [InlineData("""{"type": "array", "items": {"type": "integer"}}""", "{}", "spec.x: Invalid value: \"object\": spec.x in body must be of type array: \"object\"")]
    [InlineData("""{"type": "integer", "enum": [1, 2]}""", "3", "spec.x: Unsupported value: 3: supported values: \"1\", \"2\"")]
    [InlineData("""{"type": "number", "enum": [0.5, 1]}""", "1.0", null)]
    [InlineData("""{"type": "string", "pattern": "^[a-z0-9-]+$"}""", "\"my-job-1\"", null)]
    [InlineData("""{"type": "string", "format": "quantity"}""", "\"anything\"", null)]
    public void Keywords_are_checked_with_kube_apiserver_wording(string fieldSchema, string value, string? expected)
    {
        var errors = Errors($$$"""{"type": "object", "properties": {"x": {{{fieldSchema}}}}}""", $$$"""{"x": {{{value}}}}""");

        Assert.Equal(expected is null ? [] : [expected], errors);
    }

    [Fact]
    public void An_object_schema_without_properties_prunes_every_field()
    {
        var result = CompileSpec("""{"type": "object", "properties": {"empty": {"type": "object"}}}""").Validate(Resource("""{"empty": {"a": 1}}"""));

        Assert.True(result.IsValid);
        Assert.Equal("{}", result.Object["spec"]!["empty"]!.ToJsonString());
        Assert.Equal(["unknown field \"spec.empty.a\""], result.Warnings);
    }

    [Fact]
    public void Additional_properties_true_keeps_any_field_unchecked()
    {
        var result = CompileSpec("""{"type": "object", "properties": {"free": {"type": "object", "additionalProperties": true}}}""")
            .Validate(Resource("""{"free": {"a": 1, "b": {"c": [true]}}}"""), UnknownFieldHandling.Reject);

        Assert.True(result.IsValid);
        Assert.Equal("[true]", result.Object["spec"]!["free"]!["b"]!["c"]!.ToJsonString());
    }

    [Fact]
    public void Declared_fields_under_preserve_unknown_fields_are_still_validated_and_pruned_below()
    {
        var validator = CompileSpec("""
            {"type": "object", "x-kubernetes-preserve-unknown-fields": true,
             "properties": {"known": {"type": "object", "properties": {"n": {"type": "integer", "default": 1}}}}}
            """);

        var result = validator.Validate(Resource("""{"other": {"deep": 1}, "known": {"stray": 2}}"""));

        Assert.True(result.IsValid);
        Assert.Equal("""{"other":{"deep":1},"known":{"n":1}}""", result.Object["spec"]!.ToJsonString());
        Assert.Equal(["unknown field \"spec.known.stray\""], result.Warnings);
        Assert.Equal(["spec.known.n: Invalid value: \"string\": spec.known.n in body must be of type integer: \"string\""],
            validator.Validate(Resource("""{"known": {"n": "x"}}""")).Messages());
    }

    [Fact]
    public void Every_error_in_an_object_is_reported_not_just_the_first()
    {
        var errors = Errors(FineTuneSpec, """{"baseModel": {"uri": "http://x"}, "method": {"type": "QLoRA"}, "hyperparameters": {"epochs": 0}}""");

        Assert.Equal(4, errors.Length);
        Assert.Contains("spec.dataset: Required value", errors);
    }

    private const string TightenedSpec = """
        {"type": "object", "properties": {
          "name": {"type": "string", "maxLength": 3},
          "epochs": {"type": "integer", "minimum": 1},
          "steps": {"type": "array", "items": {"type": "object", "properties": {"sparsity": {"type": "number", "maximum": 0.9}}}},
          "gates": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
            "items": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "min": {"type": "number", "maximum": 1}}}}}}
        """;

    [Fact]
    public void An_update_is_not_refused_for_invalid_values_it_did_not_change()
    {
        var validator = CompileSpec(TightenedSpec);
        var stored = Resource("""{"name": "too-long", "epochs": 0, "gates": [{"name": "a", "min": 2}]}""");
        var update = Resource("""{"name": "too-long", "epochs": 0, "gates": [{"name": "b", "min": 0.5}, {"name": "a", "min": 2}]}""");

        Assert.True(validator.Validate(update, stored, new SchemaValidationOptions()).IsValid);
    }

    [Fact]
    public void Changed_values_are_checked_in_full_on_update()
    {
        var validator = CompileSpec(TightenedSpec);
        var stored = Resource("""{"name": "too-long", "epochs": 0, "steps": [{"sparsity": 0.5}]}""");
        var update = Resource("""{"name": "still-too-long", "epochs": 0, "steps": [{"sparsity": 0.95}]}""");

        Assert.Equal(
        [
            "spec.name: Too long: may not be more than 3 bytes",
            "spec.steps[0].sparsity: Invalid value: 0.95: spec.steps[0].sparsity in body should be less than or equal to 0.9",
        ], validator.Validate(update, stored, new SchemaValidationOptions()).Messages());
    }

    [Fact]
    public void Ratcheting_can_be_turned_off()
    {
        var validator = CompileSpec(TightenedSpec);
        var stored = Resource("""{"epochs": 0}""");

        var result = validator.Validate(stored, stored, new SchemaValidationOptions { RatchetUnchangedValues = false });

        Assert.Equal(["spec.epochs: Invalid value: 0: spec.epochs in body should be greater than or equal to 1"], result.Messages());
    }
}
