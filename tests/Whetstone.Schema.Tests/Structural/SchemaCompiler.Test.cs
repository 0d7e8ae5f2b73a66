using static Whetstone.Schema.Tests.TestSchemas;

namespace Whetstone.Schema.Tests.Structural;

public sealed class SchemaCompilerTest
{
    private static string[] CompileErrors(string schemaJson, string schemaPath = CrdSchemaValidator.DefaultSchemaPath)
    {
        var error = Assert.Throws<SchemaCompileException>(() => CrdSchemaValidator.Compile(Json(schemaJson), schemaPath));
        Assert.NotEmpty(error.Errors);
        return error.Errors.Select(e => e.ToString()).ToArray();
    }

    private static string[] SpecCompileErrors(string specJson) =>
        CompileErrors("""{"type": "object", "properties": {"spec": """ + specJson + "}}");

    [Fact]
    public void A_node_without_a_type_is_not_structural()
    {
        Assert.Equal(["openAPIV3Schema.properties[spec].properties[x].type: Required value: must not be empty for specified object fields"],
            SpecCompileErrors("""{"type": "object", "properties": {"x": {"description": "no type"}}}"""));
    }

    [Fact]
    public void Nodes_without_a_type_are_allowed_under_preserve_unknown_fields_and_int_or_string()
    {
        CompileSpec("""{"type": "object", "properties": {"any": {"x-kubernetes-preserve-unknown-fields": true}, "port": {"x-kubernetes-int-or-string": true}}}""");
    }

    [Fact]
    public void Error_paths_start_at_the_path_the_caller_gives()
    {
        var errors = CompileErrors("""{"type": "object", "properties": {"spec": {}}}""", "spec.versions[0].schema.openAPIV3Schema");

        Assert.Equal(["spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields"], errors);
    }

    [Theory]
    [InlineData("$ref", """{"$ref": "#/definitions/x"}""")]
    [InlineData("oneOf", """{"type": "object", "oneOf": [{"required": ["a"]}, {"required": ["b"]}]}""")]
    [InlineData("allOf", """{"type": "object", "allOf": [{"required": ["a"]}]}""")]
    [InlineData("not", """{"type": "object", "not": {"required": ["a"]}}""")]
    [InlineData("anyOf", """{"type": "object", "anyOf": [{"required": ["a"]}]}""")]
    [InlineData("patternProperties", """{"type": "object", "patternProperties": {"^a": {"type": "string"}}}""")]
    public void Unsupported_keywords_are_errors_naming_the_keyword(string keyword, string specJson)
    {
        var errors = SpecCompileErrors(specJson);

        Assert.Contains(errors, e => e.StartsWith($"openAPIV3Schema.properties[spec].{keyword}: Forbidden: {keyword} is not supported", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_keywords_are_errors()
    {
        Assert.Equal(["openAPIV3Schema.properties[spec].minimun: Forbidden: unknown schema keyword \"minimun\""],
            SpecCompileErrors("""{"type": "integer", "minimun": 1}"""));
    }

    [Theory]
    [InlineData("""{"type": "array"}""", "openAPIV3Schema.properties[spec].items: Required value: must be specified")]
    [InlineData("""{"type": "strng"}""", "openAPIV3Schema.properties[spec].type: Unsupported value: \"strng\": supported values: \"array\", \"boolean\", \"integer\", \"number\", \"object\", \"string\"")]
    [InlineData("""{"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "string"}}""", "openAPIV3Schema.properties[spec].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive")]
    [InlineData("""{"type": "object", "additionalProperties": false}""", "openAPIV3Schema.properties[spec].additionalProperties: Forbidden: additionalProperties cannot be set to false")]
    [InlineData("""{"type": "array", "uniqueItems": true, "items": {"type": "string"}}""", "openAPIV3Schema.properties[spec].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic")]
    [InlineData("""{"type": "string", "pattern": "(unclosed"}""", "openAPIV3Schema.properties[spec].pattern: Invalid value: \"(unclosed\": must be a valid regular expression")]
    [InlineData("""{"type": "integer", "minimum": "one"}""", "openAPIV3Schema.properties[spec].minimum: Invalid value: \"one\": must be a number")]
    [InlineData("""{"type": "string", "maxLength": -1}""", "openAPIV3Schema.properties[spec].maxLength: Invalid value: -1: must be a non-negative integer")]
    [InlineData("""{"type": "object", "required": ["missing"], "properties": {"a": {"type": "string"}}}""", "openAPIV3Schema.properties[spec].required: Invalid value: \"missing\": must be one of the declared properties")]
    [InlineData("""{"type": "string", "x-kubernetes-int-or-string": true}""", "openAPIV3Schema.properties[spec].type: Invalid value: \"string\": must be empty if x-kubernetes-int-or-string is true")]
    [InlineData("""{"type": "object", "x-kubernetes-preserve-unknown-fields": false}""", "openAPIV3Schema.properties[spec].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined")]
    [InlineData("""{"type": "string", "x-kubernetes-embedded-resource": true}""", "openAPIV3Schema.properties[spec].type: Invalid value: \"string\": must be object if x-kubernetes-embedded-resource is true")]
    public void Structural_mistakes_are_reported_at_the_keyword(string specJson, string expected)
    {
        Assert.Contains(SpecCompileErrors(specJson), e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"type": "array", "x-kubernetes-list-type": "map", "items": {"type": "object", "properties": {"name": {"type": "string"}}}}""",
        "openAPIV3Schema.properties[spec].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map")]
    [InlineData("""{"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"], "items": {"type": "object", "properties": {"name": {"type": "string"}}}}""",
        "openAPIV3Schema.properties[spec].items.required: Required value: all map keys must be required or have a default value, but \"name\" is neither")]
    [InlineData("""{"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["id"], "items": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}}""",
        "openAPIV3Schema.properties[spec].x-kubernetes-list-map-keys: Invalid value: \"id\": entries must all be names of item properties")]
    [InlineData("""{"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "object"}}""",
        "openAPIV3Schema.properties[spec].items.type: Invalid value: \"object\": must be a scalar type if x-kubernetes-list-type is set")]
    [InlineData("""{"type": "array", "x-kubernetes-list-type": "bag", "items": {"type": "string"}}""",
        "openAPIV3Schema.properties[spec].x-kubernetes-list-type: Unsupported value: \"bag\": supported values: \"atomic\", \"set\", \"map\"")]
    public void List_types_are_checked(string specJson, string expected)
    {
        Assert.Contains(expected, SpecCompileErrors(specJson));
    }

    [Fact]
    public void The_root_must_be_an_object()
    {
        Assert.Contains("openAPIV3Schema.type: Invalid value: \"string\": must be object at the root", CompileErrors("""{"type": "string"}"""));
    }

    [Fact]
    public void A_default_that_fails_validation_is_a_compile_error()
    {
        var errors = SpecCompileErrors("""{"type": "object", "properties": {"epochs": {"type": "integer", "minimum": 1, "default": 0}}}""");

        Assert.Equal(["openAPIV3Schema.properties[spec].properties[epochs].default: Invalid value: 0: default in body should be greater than or equal to 1"], errors);
    }

    [Fact]
    public void A_default_with_undeclared_fields_is_a_compile_error()
    {
        var errors = SpecCompileErrors("""{"type": "object", "properties": {"lora": {"type": "object", "default": {"rnak": 8}, "properties": {"rank": {"type": "integer"}}}}}""");

        Assert.Equal(["openAPIV3Schema.properties[spec].properties[lora].default.rnak: field not declared in schema"], errors);
    }

    [Fact]
    public void A_default_that_breaks_a_rule_is_a_compile_error()
    {
        var errors = SpecCompileErrors("""
            {"type": "object", "properties": {"split": {"type": "object", "default": {"train": 0.5},
              "x-kubernetes-validations": [{"rule": "self.train > 0.6", "message": "train too small"}],
              "properties": {"train": {"type": "number"}}}}}
            """);

        Assert.Equal(["openAPIV3Schema.properties[spec].properties[split].default: Invalid value: \"object\": train too small"], errors);
    }

    [Fact]
    public void A_rule_outside_the_CEL_subset_fails_with_the_rule_path_position_and_function()
    {
        var errors = SpecCompileErrors("""
            {"type": "object", "properties": {"name": {"type": "string", "x-kubernetes-validations": [{"rule": "self.lowerAscii() == self"}]}}}
            """);

        var error = Assert.Single(errors);
        Assert.StartsWith("openAPIV3Schema.properties[spec].properties[name].x-kubernetes-validations[0].rule: Invalid value: \"self.lowerAscii() == self\": compilation failed: ERROR: <input>:1:6: unsupported function 'lowerAscii'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_selecting_an_undeclared_field_fails_to_compile()
    {
        var errors = SpecCompileErrors("""
            {"type": "object", "x-kubernetes-validations": [{"rule": "self.split.tarin > 0"}],
             "properties": {"split": {"type": "object", "properties": {"train": {"type": "number"}}}}}
            """);

        Assert.Contains("undefined field 'tarin'", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_may_select_map_keys_and_fields_under_preserve_unknown_fields()
    {
        CompileSpec("""
            {"type": "object", "x-kubernetes-validations": [{"rule": "self.labels.team == 'ml' && self.extra.anything == 1 && self.steps.all(s, has(s.prune))"}],
             "properties": {
               "labels": {"type": "object", "additionalProperties": {"type": "string"}},
               "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
               "steps": {"type": "array", "items": {"type": "object", "properties": {"prune": {"type": "object"}}}}}}
            """);
    }

    [Fact]
    public void Selecting_a_field_of_a_list_item_that_does_not_exist_fails_to_compile()
    {
        var errors = SpecCompileErrors("""
            {"type": "object", "x-kubernetes-validations": [{"rule": "self.steps.all(s, has(s.prun))"}],
             "properties": {"steps": {"type": "array", "items": {"type": "object", "properties": {"prune": {"type": "object"}}}}}}
            """);

        Assert.Contains("undefined field 'prun'", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Transition_rules_under_an_atomic_list_fail_to_compile()
    {
        var errors = SpecCompileErrors("""
            {"type": "object", "properties": {"steps": {"type": "array", "items": {"type": "object",
              "x-kubernetes-validations": [{"rule": "self == oldSelf"}], "properties": {"a": {"type": "string"}}}}}}
            """);

        Assert.Contains("oldSelf cannot be used on the uncorrelatable portion of the schema", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"rule": "true", "reason": "FieldValueTooLong"}""", "x-kubernetes-validations[0].reason: Unsupported value: \"FieldValueTooLong\"")]
    [InlineData("""{"rule": "true", "fieldPath": ".nope"}""", "x-kubernetes-validations[0].fieldPath: Invalid value: \".nope\": fieldPath must be a valid path: field \"nope\" is not declared in the schema")]
    [InlineData("""{"rule": "true", "message": "two\nlines"}""", "x-kubernetes-validations[0].message: Invalid value: \"two\\nlines\": message must be non-empty and must not contain line breaks")]
    [InlineData("""{"message": "no rule"}""", "x-kubernetes-validations[0].rule: Required value")]
    [InlineData("""{"rule": "true", "messageExpression": "size(self)"}""", "x-kubernetes-validations[0].messageExpression: Invalid value: \"size(self)\": compilation failed: ERROR: <input>:1:1: the expression must evaluate to string, but evaluates to int")]
    [InlineData("""{"rule": "self.a"}""", "")]
    [InlineData("""{"rule": "1"}""", "x-kubernetes-validations[0].rule: Invalid value: \"1\": compilation failed: ERROR: <input>:1:1: the expression must evaluate to bool, but evaluates to int")]
    [InlineData("""{"rule": "true", "optionalOldSelf": true}""", "x-kubernetes-validations[0].optionalOldSelf: Forbidden")]
    public void Rule_entries_are_checked(string ruleJson, string expected)
    {
        var schema = """{"type": "object", "x-kubernetes-validations": [""" + ruleJson + """], "properties": {"a": {"type": "string"}}}""";

        if (expected.Length == 0)
        {
            CompileSpec(schema); // a string-typed rule result is only known at run time; see the evaluation tests
            return;
        }
        Assert.Contains(SpecCompileErrors(schema), e => e.StartsWith("openAPIV3Schema.properties[spec]." + expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var errors = SpecCompileErrors("""{"type": "object", "properties": {"a": {}, "b": {"type": "array"}, "c": {"$ref": "x"}}}""");

        // a: no type; b: no items; c: $ref, and no type either.
        Assert.Equal(4, errors.Length);
    }
}
