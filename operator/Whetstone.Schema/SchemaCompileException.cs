namespace Whetstone.Schema;

/// <summary>
/// Thrown by <see cref="CrdSchemaValidator.Compile(System.Text.Json.Nodes.JsonNode)"/> when a schema is not
/// structural or a validation rule uses something outside the supported CEL subset.
/// </summary>
public sealed class SchemaCompileException : Exception
{
    /// <summary>Creates the exception from the errors found; the message lists all of them.</summary>
    public SchemaCompileException(IReadOnlyList<FieldError> errors)
        : base(Describe(errors)) => Errors = errors;

    /// <summary>Creates an exception without field errors (for serializers and tooling).</summary>
    public SchemaCompileException() : this([]) { }

    /// <summary>Creates an exception with a message and no field errors.</summary>
    public SchemaCompileException(string message) : base(message) => Errors = [];

    /// <summary>Creates an exception with a message, an inner exception and no field errors.</summary>
    public SchemaCompileException(string message, Exception innerException)
        : base(message, innerException) => Errors = [];

    /// <summary>Every problem found in the schema, each with the path of the offending keyword.</summary>
    public IReadOnlyList<FieldError> Errors { get; }

    private static string Describe(IReadOnlyList<FieldError> errors) =>
        errors.Count == 0
            ? "The schema is invalid."
            : "The schema is invalid: " + string.Join("; ", errors.Select(e => e.ToString()));
}
