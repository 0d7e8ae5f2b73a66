using System.Text.Json.Nodes;
using static Whetstone.Schema.Tests.TestSchemas;

namespace Whetstone.Schema.Tests;

public sealed class CrdSchemaValidatorTest
{
    private static readonly CrdSchemaValidator FineTune = CompileSpec(FineTuneSpec);

    private static JsonNode WithSpec(Action<JsonObject> edit)
    {
        var resource = Resource(MinimalFineTune);
        edit(resource["spec"]!.AsObject());
        return resource;
    }

    [Fact]
    public void A_minimal_valid_spec_passes_and_gets_its_defaults()
    {
        var result = FineTune.Validate(Resource(MinimalFineTune));

        Assert.True(result.IsValid, string.Join("\n", result.Messages()));
        var spec = result.Object["spec"]!;
        Assert.Equal("whetstone", (string?)spec["baseModel"]!["format"]);
        Assert.Equal(3, (int?)spec["hyperparameters"]!["epochs"]);
        Assert.Equal("bf16", (string?)spec["hyperparameters"]!["precision"]);
        Assert.Null(spec["dataset"]!["split"]); // defaults inside an absent object are not applied
    }

    [Fact]
    public void Validate_never_changes_its_input()
    {
        var input = Resource(MinimalFineTune);
        input["spec"]!["surprise"] = 1;
        var before = input.ToJsonString();

        var result = FineTune.Validate(input);

        Assert.Equal(before, input.ToJsonString());
        Assert.Null(result.Object["spec"]!["surprise"]);
    }

    [Fact]
    public void Defaults_apply_inside_a_present_object_and_inside_defaulted_objects()
    {
        var result = FineTune.Validate(WithSpec(spec => spec["dataset"]!["split"] = new JsonObject { ["train"] = 0.7 }));

        var split = result.Object["spec"]!["dataset"]!["split"]!;
        Assert.Equal(0.7, (double?)split["train"]);
        Assert.Equal(0.1, (double?)split["validation"]);
        Assert.Equal(42, (int?)split["seed"]);
    }

    [Fact]
    public void Defaults_are_skipped_when_the_options_say_so()
    {
        var result = FineTune.Validate(Resource(MinimalFineTune), null, new SchemaValidationOptions(ApplyDefaults: false));

        Assert.True(result.IsValid);
        Assert.Null(result.Object["spec"]!["hyperparameters"]);
    }

    [Fact]
    public void Missing_required_fields_are_reported_with_their_full_path()
    {
        var result = FineTune.Validate(WithSpec(spec =>
        {
            spec.Remove("method");
            spec["baseModel"]!["fineTuneJobRef"] = new JsonObject();
        }));

        Assert.Contains("spec.method: Required value", result.Messages());
        Assert.Contains("spec.baseModel.fineTuneJobRef.name: Required value", result.Messages());
        Assert.All(result.Errors, e => Assert.Equal("FieldValueRequired", e.Reason));
    }

    [Fact]
    public void A_value_outside_an_enum_is_reported_with_the_supported_values()
    {
        var result = FineTune.Validate(WithSpec(spec => spec["method"]!["type"] = "QLoRA"));

        var error = Assert.Single(result.Errors);
        Assert.Equal("spec.method.type", error.Field);
        Assert.Equal("FieldValueNotSupported", error.Reason);
        Assert.Equal("Unsupported value: \"QLoRA\": supported values: \"LoRA\", \"Full\"", error.Message);
    }

    [Fact]
    public void A_number_below_the_minimum_is_worded_like_kube_apiserver()
    {
        var result = FineTune.Validate(WithSpec(spec => spec["hyperparameters"] = new JsonObject { ["epochs"] = 0 }));

        var error = Assert.Single(result.Errors);
        Assert.Equal("spec.hyperparameters.epochs: Invalid value: 0: spec.hyperparameters.epochs in body should be greater than or equal to 1", error.ToString());
        Assert.Equal("FieldValueInvalid", error.Reason);
    }

    [Theory]
    [InlineData("""{"rank": 512}""", "spec.method.lora.rank: Invalid value: 512: spec.method.lora.rank in body should be less than or equal to 256")]
    [InlineData("""{"dropout": 1}""", "spec.method.lora.dropout: Invalid value: 1: spec.method.lora.dropout in body should be less than 1")]
    [InlineData("""{"dropout": 1.5}""", "spec.method.lora.dropout: Invalid value: 1.5: spec.method.lora.dropout in body should be less than 1")]
    [InlineData("""{"targetModules": []}""", "spec.method.lora.targetModules: Invalid value: 0: spec.method.lora.targetModules in body should have at least 1 items")]
    public void Range_violations_name_the_field_and_the_bound(string lora, string expected)
    {
        var result = FineTune.Validate(WithSpec(spec => spec["method"]!["lora"] = Json(lora)));

        Assert.Equal([expected], result.Messages());
    }

    [Fact]
    public void An_exclusive_minimum_rejects_the_bound_itself()
    {
        var result = FineTune.Validate(WithSpec(spec => spec["hyperparameters"] = new JsonObject { ["learningRate"] = 0 }));

        Assert.Equal(["spec.hyperparameters.learningRate: Invalid value: 0: spec.hyperparameters.learningRate in body should be greater than 0"], result.Messages());
    }

    [Fact]
    public void A_wrong_type_is_reported_as_type_invalid()
    {
        var result = FineTune.Validate(WithSpec(spec => spec["hyperparameters"] = new JsonObject { ["epochs"] = "three" }));

        var error = Assert.Single(result.Errors);
        Assert.Equal("FieldValueTypeInvalid", error.Reason);
        Assert.Equal("Invalid value: \"string\": spec.hyperparameters.epochs in body must be of type integer: \"string\"", error.Message);
    }

    [Fact]
    public void An_integral_float_is_accepted_as_an_integer_and_a_fractional_one_is_not()
    {
        Assert.True(FineTune.Validate(WithSpec(spec => spec["hyperparameters"] = Json("""{"epochs": 2.0}"""))).IsValid);

        var result = FineTune.Validate(WithSpec(spec => spec["hyperparameters"] = Json("""{"epochs": 2.5}""")));
        Assert.Equal(["spec.hyperparameters.epochs: Invalid value: \"number\": spec.hyperparameters.epochs in body must be of type integer: \"number\""], result.Messages());
    }

    [Fact]
    public void Patterns_and_lengths_are_checked()
    {
        var result = FineTune.Validate(WithSpec(spec =>
        {
            spec["baseModel"] = Json("""{"uri": "http://x", "fineTuneJobRef": {"name": ""}}""");
            spec["resources"] = Json("""{"nodeSelector": {"gpu": "nvidia-h100-80gb"}}""");
        }));

        Assert.Equal(
        [
            "spec.baseModel.uri: Invalid value: \"http://x\": spec.baseModel.uri in body should match '^(s3|file)://'",
            "spec.baseModel.fineTuneJobRef.name: Invalid value: \"\": spec.baseModel.fineTuneJobRef.name in body should be at least 1 chars long",
            "spec.resources.nodeSelector.gpu: Too long: may not be more than 10 bytes",
        ], result.Messages());
        Assert.Equal("FieldValueTooLong", result.Errors[2].Reason);
    }

    [Fact]
    public void Too_many_items_is_reported_with_the_count()
    {
        var result = FineTune.Validate(WithSpec(spec => spec["dataset"]!["preprocessing"] = Json("""{"blockedTerms": ["a", "b", "c", "d"]}""")));

        var error = Assert.Single(result.Errors);
        Assert.Equal("FieldValueTooMany", error.Reason);
        Assert.Equal("spec.dataset.preprocessing.blockedTerms: Too many: 4: must have at most 3 items", error.ToString());
    }

    [Fact]
    public void Unknown_fields_are_pruned_with_a_warning()
    {
        var result = FineTune.Validate(WithSpec(spec =>
        {
            spec["colour"] = "blue";
            spec["method"]!["lora"] = Json("""{"rank": 4, "ranks": 5}""");
        }));

        Assert.True(result.IsValid);
        Assert.Null(result.Object["spec"]!["colour"]);
        Assert.Null(result.Object["spec"]!["method"]!["lora"]!["ranks"]);
        Assert.Equal(["unknown field \"spec.colour\"", "unknown field \"spec.method.lora.ranks\""], result.Warnings.Order());
    }

    [Fact]
    public void Unknown_fields_are_rejected_under_strict_validation()
    {
        var result = FineTune.Validate(WithSpec(spec => spec["colour"] = "blue"), UnknownFieldHandling.Reject);

        var error = Assert.Single(result.Errors);
        Assert.Equal(new FieldError("spec.colour", "FieldValueUnknown", "field not declared in schema"), error);
    }

    [Fact]
    public void Apiversion_kind_and_metadata_are_never_pruned_at_the_root()
    {
        var result = FineTune.Validate(Resource(MinimalFineTune), UnknownFieldHandling.Reject);

        Assert.True(result.IsValid);
        Assert.Equal("support-lora", (string?)result.Object["metadata"]!["name"]);
        Assert.Equal("FineTuneJob", (string?)result.Object["kind"]);
    }

    [Fact]
    public void Metadata_must_be_an_object()
    {
        var resource = Resource(MinimalFineTune);
        resource["metadata"] = "oops";

        Assert.Equal(["metadata: Invalid value: \"string\": metadata in body must be of type object: \"string\""], FineTune.Validate(resource).Messages());
    }

    [Fact]
    public void Preserve_unknown_fields_keeps_everything_below_it()
    {
        var result = FineTune.Validate(WithSpec(spec => spec["resources"] = Json("""{"tolerations": [{"key": "gpu", "effect": "NoSchedule"}]}""")), UnknownFieldHandling.Reject);

        Assert.True(result.IsValid);
        Assert.Equal("NoSchedule", (string?)result.Object["spec"]!["resources"]!["tolerations"]![0]!["effect"]);
    }

    [Theory]
    [InlineData("4", true)]
    [InlineData("\"500m\"", true)]
    [InlineData("true", false)]
    [InlineData("1.5", false)]
    public void Int_or_string_accepts_integers_and_strings_only(string cpu, bool valid)
    {
        var result = FineTune.Validate(WithSpec(spec => spec["resources"] = Json($$"""{"cpu": {{cpu}}}""")));

        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            Assert.EndsWith("spec.resources.cpu in body must be of type integer,string: " + GoText.Quote(valid ? "" : (cpu == "true" ? "boolean" : "number")), result.Errors[0].Message);
        }
    }

    [Fact]
    public void A_null_for_a_non_nullable_field_is_dropped_and_then_defaulted_or_required()
    {
        var result = FineTune.Validate(WithSpec(spec =>
        {
            spec["method"] = null;
            spec["hyperparameters"] = Json("""{"epochs": null}""");
        }));

        Assert.Equal(["spec.method: Required value"], result.Messages());
        Assert.Equal(3, (int?)result.Object["spec"]!["hyperparameters"]!["epochs"]);
    }

    [Fact]
    public void A_nullable_field_keeps_its_null()
    {
        var result = FineTune.Validate(WithSpec(spec => spec["ttlSecondsAfterFinished"] = null));

        Assert.True(result.IsValid);
        Assert.True(result.Object["spec"]!.AsObject().ContainsKey("ttlSecondsAfterFinished"));
    }

    [Fact]
    public void A_null_list_item_is_a_type_error()
    {
        var result = FineTune.Validate(WithSpec(spec => spec["method"]!["lora"] = Json("""{"targetModules": [null]}""")));

        Assert.Equal(["spec.method.lora.targetModules[0]: Invalid value: \"null\": spec.method.lora.targetModules[0] in body must be of type string: \"null\""], result.Messages());
    }

    [Fact]
    public void Set_lists_reject_duplicates()
    {
        var result = FineTune.Validate(WithSpec(spec => spec["dataset"]!["preprocessing"] = Json("""{"redactPII": ["email", "phone", "email"]}""")));

        var error = Assert.Single(result.Errors);
        Assert.Equal("FieldValueDuplicate", error.Reason);
        Assert.Equal("spec.dataset.preprocessing.redactPII[2]: Duplicate value: \"email\"", error.ToString());
    }

    [Fact]
    public void Map_lists_reject_items_with_the_same_keys()
    {
        var result = FineTune.Validate(WithSpec(spec => spec["env"] = Json("""[{"name": "A", "value": "1"}, {"name": "B"}, {"name": "A", "value": "2"}]""")));

        Assert.Equal(["spec.env[2]: Duplicate value: {\"name\":\"A\"}"], result.Messages());
    }

    [Fact]
    public void Embedded_resources_need_apiversion_and_kind_and_keep_their_metadata()
    {
        var result = FineTune.Validate(WithSpec(spec => spec["podTemplate"] = Json("""{"kind": "Pod", "metadata": {"labels": {"a": "b"}}}""")), UnknownFieldHandling.Reject);

        Assert.Equal(["spec.podTemplate.apiVersion: Required value: must not be empty"], result.Messages());
        Assert.Equal("b", (string?)result.Object["spec"]!["podTemplate"]!["metadata"]!["labels"]!["a"]);
    }

    [Fact]
    public void Date_time_format_is_checked()
    {
        Assert.True(FineTune.Validate(WithSpec(spec => spec["startedAt"] = "2026-11-23T19:00:00Z")).IsValid);

        var result = FineTune.Validate(WithSpec(spec => spec["startedAt"] = "yesterday"));
        Assert.Equal(["spec.startedAt: Invalid value: \"yesterday\": spec.startedAt in body must be of type date-time: \"yesterday\""], result.Messages());
    }

    [Fact]
    public void Map_values_are_validated_with_the_key_in_the_path()
    {
        var result = FineTune.Validate(WithSpec(spec => spec["resources"] = Json("""{"nodeSelector": {"zone": 3}}""")));

        Assert.Equal("spec.resources.nodeSelector.zone", Assert.Single(result.Errors).Field);
    }
}
