using System.Text.Json.Nodes;

namespace Whetstone.Schema.Tests;

/// <summary>Hand-written schemas shaped like Whetstone's CRDs, and small builders for objects.</summary>
internal static class TestSchemas
{
    public static JsonNode Json(string json) => JsonNode.Parse(json)!;

    public static CrdSchemaValidator Compile(string schemaJson) => CrdSchemaValidator.Compile(Json(schemaJson));

    /// <summary>A resource whose <c>spec</c> is the given schema.</summary>
    public static CrdSchemaValidator CompileSpec(string specSchemaJson) => Compile(
        """{"type": "object", "properties": {"spec": """ + specSchemaJson +
        """, "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}""");

    public static JsonNode Resource(string specJson) => Json(
        """{"apiVersion": "whetstone.dev/v1alpha1", "kind": "FineTuneJob", "metadata": {"name": "support-lora", "namespace": "default"}, "spec": """ +
        specJson + "}");

    public static SchemaValidationResult Validate(this CrdSchemaValidator validator, JsonNode obj,
        UnknownFieldHandling unknownFields = UnknownFieldHandling.Prune) =>
        validator.Validate(obj, null, new SchemaValidationOptions(unknownFields));

    public static string[] Messages(this SchemaValidationResult result) =>
        result.Errors.Select(e => e.ToString()).ToArray();

    /// <summary>A FineTuneJob-like spec: nested objects, enums, ranges, required fields, defaults, a list map.</summary>
    public const string FineTuneSpec = """
        {
          "type": "object",
          "required": ["baseModel", "dataset", "method"],
          "properties": {
            "baseModel": {"type": "object", "properties": {
                "uri": {"type": "string", "pattern": "^(s3|file)://"},
                "fineTuneJobRef": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 63}}},
                "format": {"type": "string", "enum": ["whetstone", "onnx"], "default": "whetstone"}}},
            "dataset": {"type": "object", "required": ["uri"], "properties": {
                "uri": {"type": "string"},
                "format": {"type": "string", "enum": ["chat", "instruction", "text"]},
                "preprocessing": {"type": "object", "properties": {
                    "deduplicate": {"type": "string", "enum": ["none", "exact", "near"], "default": "exact"},
                    "redactPII": {"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "string"}},
                    "blockedTerms": {"type": "array", "maxItems": 3, "items": {"type": "string"}}}},
                "split": {"type": "object", "properties": {
                    "train": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.8},
                    "validation": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.1},
                    "test": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.1},
                    "seed": {"type": "integer", "default": 42}}}}},
            "method": {"type": "object", "required": ["type"], "properties": {
                "type": {"type": "string", "enum": ["LoRA", "Full"]},
                "lora": {"type": "object", "properties": {
                    "rank": {"type": "integer", "minimum": 1, "maximum": 256, "default": 8},
                    "dropout": {"type": "number", "minimum": 0, "exclusiveMaximum": true, "maximum": 1},
                    "targetModules": {"type": "array", "minItems": 1, "items": {"type": "string"}}}}}},
            "hyperparameters": {"type": "object", "default": {}, "properties": {
                "epochs": {"type": "integer", "minimum": 1, "default": 3},
                "learningRate": {"type": "number", "exclusiveMinimum": true, "minimum": 0},
                "precision": {"type": "string", "enum": ["fp32", "bf16", "fp16"], "default": "bf16"}}},
            "resources": {"type": "object", "properties": {
                "cpu": {"x-kubernetes-int-or-string": true, "anyOf": [{"type": "integer"}, {"type": "string"}]},
                "nodeSelector": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 10}},
                "tolerations": {"type": "array", "items": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}},
            "ttlSecondsAfterFinished": {"type": "integer", "nullable": true},
            "env": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                    "items": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "value": {"type": "string"}}}},
            "podTemplate": {"type": "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true},
            "startedAt": {"type": "string", "format": "date-time"}
          }
        }
        """;

    public const string MinimalFineTune = """
        {"baseModel": {"uri": "s3://models/tiny/"}, "dataset": {"uri": "s3://d/x.jsonl"}, "method": {"type": "LoRA"}}
        """;
}
