using System.Text.Json.Nodes;
using static Whetstone.Schema.Tests.TestSchemas;

namespace Whetstone.Schema.Tests.Validation;

public sealed class RuleCheckerTest
{
    // Shaped like CompressionJob/FineTuneJob: a one-of model source, fractions that must sum to 1, a list of
    // steps where each step sets exactly one kind, an immutable field and a transition rule on a map list.
    internal const string Spec = """
        {
          "type": "object",
          "x-kubernetes-validations": [
            {"rule": "!has(self.method) || self.method.type != 'Full' || !has(self.method.lora)", "message": "method.lora is only valid with type LoRA", "fieldPath": ".method.lora"}
          ],
          "properties": {
            "model": {"type": "object",
              "x-kubernetes-validations": [{"rule": "[has(self.uri), has(self.fineTuneJobRef)].filter(x, x).size() == 1", "message": "exactly one of uri, fineTuneJobRef must be set"}],
              "properties": {"uri": {"type": "string"}, "fineTuneJobRef": {"type": "object", "properties": {"name": {"type": "string"}}}}},
            "split": {"type": "object",
              "x-kubernetes-validations": [{"rule": "self.train + self.validation + self.test > 0.999 && self.train + self.validation + self.test < 1.001", "message": "split fractions (train + validation + test) must sum to 1"}],
              "properties": {
                "train": {"type": "number", "default": 0.8},
                "validation": {"type": "number", "default": 0.1},
                "test": {"type": "number", "default": 0.1}}},
            "method": {"type": "object", "properties": {"type": {"type": "string"}, "lora": {"type": "object", "properties": {"rank": {"type": "integer"}}}}},
            "steps": {"type": "array", "items": {"type": "object",
              "x-kubernetes-validations": [{"rule": "[has(self.prune), has(self.quantize)].exists_one(x, x)", "message": "each step sets exactly one of prune, quantize"}],
              "properties": {
                "prune": {"type": "object", "properties": {"sparsity": {"type": "number"}}},
                "quantize": {"type": "object", "properties": {"type": {"type": "string"}}}}}},
            "outputUri": {"type": "string", "x-kubernetes-validations": [{"rule": "self == oldSelf", "message": "outputUri is immutable"}]},
            "replicas": {"type": "integer", "x-kubernetes-validations": [
                {"rule": "self >= oldSelf", "message": "replicas may not decrease", "reason": "FieldValueForbidden"},
                {"rule": "self <= 8", "messageExpression": "'replicas must be at most 8, got ' + string(self)"}]},
            "gates": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
              "items": {"type": "object", "required": ["name"],
                "x-kubernetes-validations": [{"rule": "self.min >= oldSelf.min", "message": "a gate's min may only be raised"}],
                "properties": {"name": {"type": "string"}, "min": {"type": "number"}}}},
            "labels": {"type": "object", "additionalProperties": {"type": "string",
                "x-kubernetes-validations": [{"rule": "self.size() <= 5", "reason": "FieldValueRequired"}]}},
            "tags": {"type": "array", "items": {"type": "string"}, "x-kubernetes-validations": [{"rule": "self.all(t, t.matches('^[a-z]+$'))"}]}
          }
        }
        """;

    private static readonly CrdSchemaValidator Validator = CompileSpec(Spec);

    private static SchemaValidationResult Check(string spec, string? oldSpec = null) =>
        Validator.Validate(Resource(spec), oldSpec is null ? null : Resource(oldSpec), new SchemaValidationOptions());

    [Fact]
    public void A_spec_satisfying_every_rule_passes()
    {
        var result = Check("""
            {"model": {"uri": "s3://m/"}, "split": {"train": 0.7, "validation": 0.2, "test": 0.1},
             "method": {"type": "LoRA", "lora": {"rank": 8}}, "steps": [{"prune": {"sparsity": 0.5}}, {"quantize": {"type": "int8"}}],
             "labels": {"team": "ml"}, "tags": ["a", "b"]}
            """);

        Assert.True(result.IsValid, string.Join("\n", result.Messages()));
    }

    [Fact]
    public void A_failed_rule_reports_its_message_at_the_node_it_is_attached_to()
    {
        var result = Check("""{"split": {"train": 0.5, "validation": 0.1, "test": 0.1}}""");

        var error = Assert.Single(result.Errors);
        Assert.Equal("spec.split", error.Field);
        Assert.Equal("FieldValueInvalid", error.Reason);
        Assert.Equal("Invalid value: \"object\": split fractions (train + validation + test) must sum to 1", error.Message);
    }

    [Fact]
    public void Rules_see_defaults_and_integers_written_into_number_fields()
    {
        Assert.True(Check("""{"split": {"train": 1, "validation": 0, "test": 0}}""").IsValid);
        Assert.True(Check("""{"split": {}}""").IsValid);
    }

    [Fact]
    public void One_of_rules_reject_both_and_neither()
    {
        Assert.Equal(["spec.model: Invalid value: \"object\": exactly one of uri, fineTuneJobRef must be set"],
            Check("""{"model": {"uri": "s3://m/", "fineTuneJobRef": {"name": "x"}}}""").Messages());
        Assert.Single(Check("""{"model": {}}""").Errors);
    }

    [Fact]
    public void Rules_on_list_items_point_at_the_item()
    {
        var result = Check("""{"steps": [{"prune": {}}, {"prune": {}, "quantize": {}}, {}]}""");

        Assert.Equal(
        [
            "spec.steps[1]: Invalid value: \"object\": each step sets exactly one of prune, quantize",
            "spec.steps[2]: Invalid value: \"object\": each step sets exactly one of prune, quantize",
        ], result.Messages());
    }

    [Fact]
    public void Field_path_moves_the_error_to_the_named_field()
    {
        var result = Check("""{"method": {"type": "Full", "lora": {"rank": 8}}}""");

        Assert.Equal(["spec.method.lora: Invalid value: \"object\": method.lora is only valid with type LoRA"], result.Messages());
    }

    [Fact]
    public void Without_a_message_the_rule_itself_is_quoted()
    {
        var result = Check("""{"tags": ["ok", "Not-OK"]}""");

        Assert.Equal(["spec.tags: Invalid value: \"array\": failed rule: self.all(t, t.matches('^[a-z]+$'))"], result.Messages());
    }

    [Fact]
    public void Message_expressions_build_the_message_from_the_value()
    {
        var result = Check("""{"replicas": 9}""");

        Assert.Equal(["spec.replicas: Invalid value: \"integer\": replicas must be at most 8, got 9"], result.Messages());
    }

    [Fact]
    public void The_reason_changes_the_cause_type_and_wording()
    {
        var result = Check("""{"labels": {"team": "machine-learning"}}""");

        var error = Assert.Single(result.Errors);
        Assert.Equal("FieldValueRequired", error.Reason);
        Assert.Equal("spec.labels[team]: Required value: failed rule: self.size() <= 5", error.ToString());
    }

    [Fact]
    public void Transition_rules_do_not_run_on_create()
    {
        Assert.True(Check("""{"outputUri": "s3://a/", "replicas": 1}""").IsValid);
    }

    [Fact]
    public void Transition_rules_compare_with_the_stored_object_on_update()
    {
        var result = Check("""{"outputUri": "s3://b/", "replicas": 1}""", oldSpec: """{"outputUri": "s3://a/", "replicas": 2}""");

        Assert.Equal(
        [
            "spec.outputUri: Invalid value: \"string\": outputUri is immutable",
            "spec.replicas: Forbidden: replicas may not decrease",
        ], result.Messages());
        Assert.Equal("FieldValueForbidden", result.Errors[1].Reason);
    }

    [Fact]
    public void Transition_rules_do_not_run_when_the_old_object_lacked_the_field()
    {
        Assert.True(Check("""{"outputUri": "s3://b/"}""", oldSpec: "{}").IsValid);
    }

    [Fact]
    public void Map_list_items_are_correlated_with_old_items_by_key_not_position()
    {
        const string old = """{"gates": [{"name": "a", "min": 0.5}, {"name": "b", "min": 0.8}]}""";

        Assert.True(Check("""{"gates": [{"name": "b", "min": 0.9}, {"name": "a", "min": 0.5}, {"name": "c", "min": 0.1}]}""", old).IsValid);
        Assert.Equal(["spec.gates[0]: Invalid value: \"object\": a gate's min may only be raised"],
            Check("""{"gates": [{"name": "b", "min": 0.7}]}""", old).Messages());
    }

    [Fact]
    public void A_rule_that_errors_is_reported_as_invalid_never_passed()
    {
        var validator = CompileSpec("""
            {"type": "object", "x-kubernetes-validations": [{"rule": "self.limits.gpu > 0", "message": "needs a GPU"}],
             "properties": {"limits": {"type": "object", "properties": {"gpu": {"type": "integer"}}}}}
            """);

        var result = validator.Validate(Resource("""{"limits": {}}"""));

        var error = Assert.Single(result.Errors);
        Assert.Equal("spec", error.Field);
        Assert.Equal("FieldValueInvalid", error.Reason);
        Assert.Equal("Invalid value: \"object\": no such key: gpu evaluating rule: self.limits.gpu > 0", error.Message);
    }

    [Fact]
    public void A_rule_that_exceeds_the_iteration_budget_fails_the_object()
    {
        var validator = CompileSpec("""
            {"type": "object", "properties": {"ids": {"type": "array", "items": {"type": "integer"},
              "x-kubernetes-validations": [{"rule": "self.all(x, self.exists_one(y, y == x))", "message": "ids must be unique"}]}}}
            """);
        var ids = "[" + string.Join(",", Enumerable.Range(0, 1500)) + "]";

        var error = Assert.Single(validator.Validate(Resource($$"""{"ids": {{ids}}}""")).Errors);

        Assert.Equal("spec.ids", error.Field);
        Assert.StartsWith("Invalid value: \"array\": operation cancelled: actual cost limit exceeded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_are_not_run_on_an_object_with_blocking_schema_errors()
    {
        var result = Check("""{"split": {"train": "most", "validation": 0.1, "test": 0.1}}""");

        Assert.Equal(2, result.Errors.Count);
        Assert.Equal("FieldValueTypeInvalid", result.Errors[0].Reason);
        Assert.Equal("<nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
            result.Errors[1].ToString());
    }

    [Fact]
    public void Rules_on_the_resource_root_see_metadata_and_report_a_nil_path()
    {
        var validator = Compile("""
            {"type": "object", "x-kubernetes-validations": [{"rule": "self.metadata.name.size() <= 5", "message": "name too long"}],
             "properties": {"spec": {"type": "object"}}}
            """);

        var result = validator.Validate(Resource("{}"));

        Assert.Equal(["<nil>: Invalid value: \"object\": name too long"], result.Messages());
    }

    [Fact]
    public void Root_rules_may_read_metadata_fields_even_when_the_schema_declares_a_bare_metadata_object()
    {
        var validator = Compile("""
            {"type": "object", "x-kubernetes-validations": [{"rule": "self.metadata.name.startsWith('support')"}],
             "properties": {"metadata": {"type": "object"}, "spec": {"type": "object"}}}
            """);

        Assert.True(validator.Validate(Resource("{}")).IsValid);
        Assert.Equal("support-lora", (string?)validator.Validate(Resource("{}")).Object["metadata"]!["name"]);
    }

    [Fact]
    public void Evaluation_reads_the_validated_copy_so_pruned_fields_are_invisible_to_rules()
    {
        var validator = CompileSpec("""
            {"type": "object", "x-kubernetes-validations": [{"rule": "!('extra' in self)"}], "properties": {"a": {"type": "string"}}}
            """);

        Assert.True(validator.Validate(Resource("""{"a": "x", "extra": 1}""")).IsValid);
    }

    [Fact]
    public void Rules_on_nullable_fields_are_skipped_when_the_value_is_null()
    {
        var validator = CompileSpec("""
            {"type": "object", "properties": {"ttl": {"type": "integer", "nullable": true, "x-kubernetes-validations": [{"rule": "self > 0"}]}}}
            """);

        Assert.True(validator.Validate(Resource("""{"ttl": null}""")).IsValid);
        Assert.False(validator.Validate(Resource("""{"ttl": 0}""")).IsValid);
    }

    [Fact]
    public void Int_or_string_values_reach_rules_as_int_or_string()
    {
        var validator = CompileSpec("""
            {"type": "object", "properties": {"cpu": {"x-kubernetes-int-or-string": true,
              "x-kubernetes-validations": [{"rule": "self == 4 || self == '4'"}]}}}
            """);

        Assert.True(validator.Validate(Resource("""{"cpu": 4}""")).IsValid);
        Assert.True(validator.Validate(Resource("""{"cpu": "4"}""")).IsValid);
        Assert.False(validator.Validate(Resource("""{"cpu": 5}""")).IsValid);
    }

    [Fact]
    public void The_same_compiled_validator_is_safe_to_use_from_many_threads()
    {
        var results = Enumerable.Range(0, 64).AsParallel().Select(i =>
            Check(i % 2 == 0
                ? """{"split": {"train": 0.8, "validation": 0.1, "test": 0.1}}"""
                : """{"split": {"train": 0.9, "validation": 0.1, "test": 0.1}}""").IsValid).ToArray();

        Assert.Equal(Enumerable.Range(0, 64).Select(i => i % 2 == 0), results);
    }

    [Fact]
    public void The_input_object_keeps_its_unknown_fields_even_though_rules_saw_them_pruned()
    {
        var input = Resource("""{"model": {"uri": "s3://m/", "colour": "red"}}""");

        Validator.Validate(input, null, new SchemaValidationOptions());

        Assert.Equal("red", (string?)input["spec"]!["model"]!["colour"]);
        Assert.IsType<JsonObject>(input["spec"]);
    }

    [Fact]
    public void Rules_on_unchanged_values_are_ratcheted_on_update_but_transition_rules_still_run()
    {
        const string stored = """{"split": {"train": 0.5, "validation": 0.1, "test": 0.1}, "outputUri": "s3://a/"}""";

        Assert.True(Check("""{"split": {"train": 0.5, "validation": 0.1, "test": 0.1}, "outputUri": "s3://a/", "replicas": 1}""", stored).IsValid);
        Assert.Equal(["spec.split: Invalid value: \"object\": split fractions (train + validation + test) must sum to 1"],
            Check("""{"split": {"train": 0.6, "validation": 0.1, "test": 0.1}, "outputUri": "s3://a/"}""", stored).Messages());
        Assert.Equal(["spec.outputUri: Invalid value: \"string\": outputUri is immutable"],
            Check("""{"split": {"train": 0.5, "validation": 0.1, "test": 0.1}, "outputUri": "s3://b/"}""", stored).Messages());
    }
}
