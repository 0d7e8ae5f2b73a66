using System.Text.Json.Nodes;
using Whetstone.Schema;

namespace Whetstone.LocalCluster.CustomResources;

/// <summary>
/// The compiled openAPIV3Schema of one CRD version. Delegates to Whetstone.Schema's CrdSchemaValidator
/// (structural schema checks, defaults, pruning or rejecting unknown fields, x-kubernetes-validations).
/// </summary>
internal sealed class CustomResourceSchema
{
    private readonly CrdSchemaValidator _validator;

    private CustomResourceSchema(CrdSchemaValidator validator) => _validator = validator;

    /// <summary>Compiles a schema; returns the field errors (paths under <paramref name="fieldPrefix"/>) when it cannot.</summary>
    public static (CustomResourceSchema? Schema, IReadOnlyList<SchemaFieldError> Errors) Compile(JsonObject openApiV3Schema, string fieldPrefix)
    {
        try
        {
            return (new CustomResourceSchema(CrdSchemaValidator.Compile(openApiV3Schema, fieldPrefix)), []);
        }
        catch (SchemaCompileException e)
        {
            var errors = e.Errors.Count > 0
                ? e.Errors.Select(f => new SchemaFieldError(f.Field, f.Reason, f.Message)).ToList()
                : [new SchemaFieldError(fieldPrefix, "FieldValueInvalid", e.Message)];
            return (null, errors);
        }
    }

    /// <summary>Validates a whole object; returns it with defaults applied and unknown fields pruned (or rejected when strict).</summary>
    public SchemaOutcome Validate(JsonObject obj, JsonObject? oldObject, bool rejectUnknownFields)
    {
        var options = new SchemaValidationOptions(rejectUnknownFields ? UnknownFieldHandling.Reject : UnknownFieldHandling.Prune);
        var result = _validator.Validate(obj, oldObject, options);
        return new SchemaOutcome(
            result.Object as JsonObject ?? obj,
            [.. result.Errors.Select(e => new SchemaFieldError(e.Field, e.Reason, e.Message))],
            result.Warnings);
    }
}
