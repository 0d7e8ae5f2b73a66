using System.Text.Json.Nodes;
using Whetstone.Schema.Structural;
using Whetstone.Schema.Validation;

namespace Whetstone.Schema;

/// <summary>
/// Validates custom resources against one CRD version's <c>openAPIV3Schema</c> the way kube-apiserver does:
/// prune unknown fields, apply defaults, check types/enums/ranges/patterns/lengths/list types, then evaluate
/// <c>x-kubernetes-validations</c> rules. Compile once per CRD version; <see cref="Validate"/> is thread-safe.
/// </summary>
public sealed class CrdSchemaValidator
{
    /// <summary>The path compile errors start from when the caller gives none.</summary>
    public const string DefaultSchemaPath = "openAPIV3Schema";

    private readonly SchemaNode _root;

    private CrdSchemaValidator(SchemaNode root) => this._root = root;

    /// <summary>
    /// Compiles a CRD version's <c>openAPIV3Schema</c>. Throws <see cref="SchemaCompileException"/> when the schema
    /// is not structural or a rule is outside the supported CEL subset; error paths start at <c>openAPIV3Schema</c>.
    /// </summary>
    public static CrdSchemaValidator Compile(JsonNode openApiV3Schema) => Compile(openApiV3Schema, DefaultSchemaPath);

    /// <summary>
    /// Compiles a schema, starting error paths at <paramref name="schemaPath"/>, e.g.
    /// <c>spec.versions[0].schema.openAPIV3Schema</c> when validating a whole CRD.
    /// </summary>
    public static CrdSchemaValidator Compile(JsonNode openApiV3Schema, string schemaPath)
    {
        ArgumentNullException.ThrowIfNull(openApiV3Schema);
        ArgumentNullException.ThrowIfNull(schemaPath);
        var compiler = new SchemaCompiler(new RuleCompiler());
        var root = compiler.CompileRoot(openApiV3Schema, schemaPath);
        if (compiler.Errors.Count > 0)
        {
            throw new SchemaCompileException(compiler.Errors);
        }
        return new CrdSchemaValidator(root);
    }

    /// <summary>
    /// Validates a whole object. Returns a new node with defaults applied and unknown fields pruned; the input is
    /// never changed. <paramref name="oldObject"/> is the stored object on update (for transition rules), null on create.
    /// </summary>
    public SchemaValidationResult Validate(JsonNode obj, JsonNode? oldObject, SchemaValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(options);
        var copy = obj.DeepClone();
        var normalized = ObjectNormalizer.Normalize(copy, _root, options);
        var errors = new List<FieldError>(normalized.Errors);
        var ratchetAgainst = options.RatchetUnchangedValues ? oldObject : null;
        errors.AddRange(SchemaChecker.Check(copy, _root, oldValue: ratchetAgainst));
        if (_root.HasRulesInSubtree)
        {
            // Like kube-apiserver: when the object does not have the shape the rules were written for (wrong
            // types, missing required fields...), the rules are not run and one error says so.
            if (errors.Exists(IsBlocking))
            {
                errors.Add(KubeFieldErrors.InvalidValue("<nil>", GoText.Quote("null"),
                    "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"));
            }
            else
            {
                errors.AddRange(RuleChecker.Check(copy, oldObject, _root, ratchet: options.RatchetUnchangedValues));
            }
        }
        return new SchemaValidationResult(copy, errors, normalized.Warnings);
    }

    private static bool IsBlocking(FieldError error) => error.Reason is KubeFieldErrors.NotSupported or
        KubeFieldErrors.Required or KubeFieldErrors.TooLong or KubeFieldErrors.TooMany or KubeFieldErrors.TypeInvalid;
}
