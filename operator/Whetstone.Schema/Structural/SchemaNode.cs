using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Whetstone.Schema.Validation;

namespace Whetstone.Schema.Structural;

/// <summary>
/// One node of a compiled structural schema: everything the validator needs, parsed once (regexes built, enum
/// values kept, rules compiled) so that validating an object never reparses the schema.
/// </summary>
internal sealed class SchemaNode
{
    private Dictionary<string, SchemaNode>? _properties;

    public SchemaType Type { get; set; }

    /// <summary>Declared properties; null when the node declares none.</summary>
    public Dictionary<string, SchemaNode>? Properties
    {
        get => _properties;
        set
        {
            _properties = value;
            PropertiesWithDefaults = value?.Where(p => p.Value.Default is not null).ToArray() ?? [];
        }
    }

    /// <summary>The declared properties that have a default, so defaulting never scans the others.</summary>
    public IReadOnlyList<KeyValuePair<string, SchemaNode>> PropertiesWithDefaults { get; private set; } = [];

    public IReadOnlyList<string> Required { get; set; } = [];

    /// <summary>The schema of every value of a map (<c>additionalProperties: {schema}</c>).</summary>
    public SchemaNode? AdditionalProperties { get; set; }

    /// <summary><c>additionalProperties: true</c>: any extra field, of any shape, is kept.</summary>
    public bool AllowsAnyAdditionalProperties { get; set; }

    public SchemaNode? Items { get; set; }

    public IReadOnlyList<JsonNode?>? Enum { get; set; }

    public double? Minimum { get; set; }

    public bool ExclusiveMinimum { get; set; }

    public double? Maximum { get; set; }

    public bool ExclusiveMaximum { get; set; }

    public double? MultipleOf { get; set; }

    public long? MinLength { get; set; }

    public long? MaxLength { get; set; }

    public long? MinItems { get; set; }

    public long? MaxItems { get; set; }

    public long? MinProperties { get; set; }

    public long? MaxProperties { get; set; }

    public Regex? Pattern { get; set; }

    public string? PatternText { get; set; }

    public string? Format { get; set; }

    public JsonNode? Default { get; set; }

    public bool Nullable { get; set; }

    public bool PreserveUnknownFields { get; set; }

    public bool IntOrString { get; set; }

    public bool EmbeddedResource { get; set; }

    public ListType ListType { get; set; }

    public IReadOnlyList<string> ListMapKeys { get; set; } = [];

    /// <summary>The node's compiled <c>x-kubernetes-validations</c>.</summary>
    public IReadOnlyList<ValidationRule> Rules { get; set; } = [];

    /// <summary>True when this node or any node below it has rules: the rule pass skips subtrees without any.</summary>
    public bool HasRulesInSubtree { get; set; }

    /// <summary>The root of a custom resource: apiVersion, kind and metadata are implicit there.</summary>
    public bool IsResourceRoot { get; set; }

    /// <summary>The type as Kubernetes names it in messages (<c>object</c>, <c>integer</c>...), empty if unspecified.</summary>
    public string TypeName => Type switch
    {
        SchemaType.Object => "object",
        SchemaType.Array => "array",
        SchemaType.String => "string",
        SchemaType.Integer => "integer",
        SchemaType.Number => "number",
        SchemaType.Boolean => "boolean",
        _ => "",
    };

    /// <summary>True when unknown fields of an object are dropped (or rejected) rather than kept.</summary>
    public bool PrunesUnknownFields =>
        !PreserveUnknownFields && AdditionalProperties is null && !AllowsAnyAdditionalProperties;

    /// <summary>Whether <paramref name="name"/> is allowed without being declared (apiVersion/kind/metadata).</summary>
    public bool IsImplicitField(string name) =>
        (IsResourceRoot || EmbeddedResource) && name is "apiVersion" or "kind" or "metadata";

    /// <summary>The schema for a field of an object value: its property, else the map value schema.</summary>
    public SchemaNode? FieldSchema(string name) =>
        Properties is not null && Properties.TryGetValue(name, out var property) ? property : AdditionalProperties;
}
