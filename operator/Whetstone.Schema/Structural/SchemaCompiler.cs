using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Whetstone.Schema.Validation;

namespace Whetstone.Schema.Structural;

/// <summary>
/// Turns an <c>openAPIV3Schema</c> JSON object into a tree of <see cref="SchemaNode"/>s, checking that it is
/// structural the way kube-apiserver checks a CRD: every node typed, no <c>$ref</c>/<c>oneOf</c>/..., items for
/// arrays, valid list types, defaults that validate. Errors carry the path of the offending keyword.
/// </summary>
internal sealed partial class SchemaCompiler(RuleCompiler rules)
{
    private static readonly string[] TypeNames = ["array", "boolean", "integer", "number", "object", "string"];

    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> Errors => _errors;

    /// <summary>Compiles a whole schema; the caller throws when <see cref="Errors"/> is not empty.</summary>
    public SchemaNode CompileRoot(JsonNode? schema, string path)
    {
        var root = CompileNode(schema, path, correlatable: true, isResourceRoot: true);
        if (root.Type != SchemaType.Object && schema is JsonObject)
        {
            _errors.Add(KubeFieldErrors.InvalidValue(path + ".type", Quoted(root.TypeName), "must be object at the root"));
        }
        return root;
    }

    /// <param name="correlatable">Whether an old value can be found for this node on update (object fields and
    /// map-list items can; items of other lists cannot), which decides whether transition rules may appear here.</param>
    private SchemaNode CompileNode(JsonNode? json, string path, bool correlatable, bool isResourceRoot = false)
    {
        var node = new SchemaNode { IsResourceRoot = isResourceRoot };
        if (json is not JsonObject schema)
        {
            _errors.Add(KubeFieldErrors.InvalidValue(path, json, "must be a schema object"));
            return node;
        }

        var typeText = "";
        foreach (var (keyword, value) in schema)
        {
            var at = path + "." + keyword;
            if (keyword == "type")
            {
                typeText = ReadString(value, at) ?? "";
                node.Type = ParseType(typeText, value, at);
            }
            else if (!CompileStructureKeyword(node, schema, keyword, value, path, correlatable) &&
                     !CompileConstraintKeyword(node, keyword, value, at) &&
                     !CompileExtensionKeyword(node, keyword, value, at))
            {
                RejectKeyword(schema, keyword, value, at);
            }
        }

        CheckShape(node, typeText, path);
        CompileRulesAndDefault(node, schema, path, correlatable);
        return node;
    }

    private void CompileRulesAndDefault(SchemaNode node, JsonObject schema, string path, bool correlatable)
    {
        if (schema.TryGetPropertyValue("x-kubernetes-validations", out var ruleList))
        {
            node.Rules = rules.CompileRules(node, ruleList, path + ".x-kubernetes-validations", correlatable, _errors);
        }
        node.HasRulesInSubtree = node.Rules.Count > 0 ||
            node.Properties?.Values.Any(p => p.HasRulesInSubtree) == true ||
            node.AdditionalProperties?.HasRulesInSubtree == true ||
            node.Items?.HasRulesInSubtree == true;
        if (node.Default is not null)
        {
            CheckDefault(node, path + ".default");
        }
    }
}
