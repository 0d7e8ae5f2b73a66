using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Whetstone.LocalCluster.Resources;

namespace Whetstone.LocalCluster.Api;

/// <summary>
/// The checks kube-apiserver makes of every object's <c>apiVersion</c>, <c>kind</c> and <c>metadata</c>: first their
/// JSON types, as decoding into <c>ObjectMeta</c> does (a 400 naming the field, worded as Go's decoder words it), then
/// label and annotation syntax and size (<c>ValidateObjectMeta</c>: a 422 naming the field). Without them a name of
/// the wrong type was a 500, and labels that are not strings were stored where no typed client can read them.
/// </summary>
internal static partial class ObjectMetaCheck
{
    /// <summary>kube-apiserver's limit on the total size of an object's annotations.</summary>
    public const int MaxAnnotationBytes = 256 * 1024;

    private const int MaxLabelValueLength = 63;
    private static readonly string[] StringFields = ["name", "generateName", "namespace", "uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "selfLink"];
    private static readonly string[] IntegerFields = ["generation", "deletionGracePeriodSeconds"];
    private static readonly string[] OwnerStringFields = ["apiVersion", "kind", "name", "uid"];

    /// <summary>Throws a 400 when a top-level or metadata field has the wrong JSON type.</summary>
    public static void RequireTypes(ResourceType type, JsonObject body)
    {
        foreach (var field in new[] { "apiVersion", "kind" })
        {
            Require(type, body[field], JsonValueKind.String, field, "string");
        }
        var metadata = body["metadata"];
        Require(type, metadata, JsonValueKind.Object, "metadata", "v1.ObjectMeta");
        if (metadata is not JsonObject meta)
        {
            return;
        }
        foreach (var field in StringFields)
        {
            Require(type, meta[field], JsonValueKind.String, $"metadata.{field}", "string");
        }
        foreach (var field in IntegerFields)
        {
            Require(type, meta[field], JsonValueKind.Number, $"metadata.{field}", "int64");
        }
        foreach (var field in new[] { "labels", "annotations" })
        {
            Require(type, meta[field], JsonValueKind.Object, $"metadata.{field}", "map[string]string");
            foreach (var (_, value) in meta[field] as JsonObject ?? [])
            {
                Require(type, value, JsonValueKind.String, $"metadata.{field}", "string");
            }
        }
        Require(type, meta["finalizers"], JsonValueKind.Array, "metadata.finalizers", "[]string");
        foreach (var finalizer in meta["finalizers"] as JsonArray ?? [])
        {
            Require(type, finalizer, JsonValueKind.String, "metadata.finalizers", "string");
        }
        Require(type, meta["managedFields"], JsonValueKind.Array, "metadata.managedFields", "[]v1.ManagedFieldsEntry");
        Require(type, meta["ownerReferences"], JsonValueKind.Array, "metadata.ownerReferences", "[]v1.OwnerReference");
        foreach (var owner in meta["ownerReferences"] as JsonArray ?? [])
        {
            Require(type, owner, JsonValueKind.Object, "metadata.ownerReferences", "v1.OwnerReference");
            foreach (var field in OwnerStringFields)
            {
                Require(type, owner?[field], JsonValueKind.String, $"metadata.ownerReferences.{field}", "string");
            }
            foreach (var field in new[] { "controller", "blockOwnerDeletion" })
            {
                Require(type, owner?[field], JsonValueKind.True, $"metadata.ownerReferences.{field}", "bool");
            }
        }
    }

    /// <summary>Label keys and values and annotation keys that break Kubernetes' syntax, and annotations over 256 KiB.</summary>
    public static IReadOnlyList<(string Field, string Reason, string Message)> Validate(JsonObject body)
    {
        var causes = new List<(string, string, string)>();
        if (body["metadata"] is not JsonObject meta)
        {
            return causes;
        }
        foreach (var (key, value) in meta["labels"] as JsonObject ?? [])
        {
            causes.AddRange(QualifiedNameErrors("metadata.labels", key));
            var text = value?.GetValue<string>() ?? "";
            if (text.Length > MaxLabelValueLength)
            {
                causes.Add(("metadata.labels", "FieldValueInvalid", $"Invalid value: \"{text}\": must be no more than {MaxLabelValueLength} characters"));
            }
            if (text.Length > 0 && !LabelValue().IsMatch(text))
            {
                causes.Add(("metadata.labels", "FieldValueInvalid",
                    $"Invalid value: \"{text}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"));
            }
        }
        long annotationBytes = 0;
        foreach (var (key, value) in meta["annotations"] as JsonObject ?? [])
        {
            causes.AddRange(QualifiedNameErrors("metadata.annotations", key.ToLowerInvariant()).Select(c => c with { Item3 = c.Item3.Replace($"\"{key.ToLowerInvariant()}\"", $"\"{key}\"", StringComparison.Ordinal) }));
            annotationBytes += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value?.GetValue<string>() ?? "");
        }
        if (annotationBytes > MaxAnnotationBytes)
        {
            causes.Add(("metadata.annotations", "FieldValueTooLong", $"Too long: must have at most {MaxAnnotationBytes} bytes"));
        }
        return causes;
    }

    private static void Require(ResourceType type, JsonNode? node, JsonValueKind expected, string field, string goType)
    {
        if (node is null)
        {
            return;
        }
        var kind = node.GetValueKind();
        if (kind == expected || (expected == JsonValueKind.True && kind == JsonValueKind.False)
            || (expected == JsonValueKind.Number && kind == JsonValueKind.Number
                && long.TryParse(node.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _)))
        {
            return;
        }
        var found = kind switch
        {
            JsonValueKind.Object => "object",
            JsonValueKind.Array => "array",
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            _ => "bool",
        };
        throw ApiException.BadRequest(
            $"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: json: cannot unmarshal {found} into Go struct field {field} of type {goType}");
    }

    private static IEnumerable<(string Field, string Reason, string Message)> QualifiedNameErrors(string field, string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var prefix = slash < 0 ? "" : key[..slash];
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0 && (prefix.Length == 0 || prefix.Length > 253 || !Subdomain().IsMatch(prefix)))
        {
            yield return (field, "FieldValueInvalid",
                $"Invalid value: \"{key}\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
        }
        if (name.Length == 0 || name.Length > MaxLabelValueLength || !LabelValue().IsMatch(name))
        {
            yield return (field, "FieldValueInvalid",
                $"Invalid value: \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') and be no more than 63 characters");
        }
    }

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\\z")]
    private static partial Regex LabelValue();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\z")]
    private static partial Regex Subdomain();
}
