using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Whetstone.LocalCluster.Resources;
using Whetstone.LocalCluster.Storage;

namespace Whetstone.LocalCluster.Api;

/// <summary>Names, namespaces, preconditions and the canonical form of stored objects.</summary>
internal sealed partial class ObjectService
{
    private static void CheckKind(ResourceType type, JsonObject body)
    {
        ObjectMetaCheck.RequireTypes(type, body);
        var kind = body["kind"]?.GetValue<string>();
        var apiVersion = body["apiVersion"]?.GetValue<string>();
        if (kind is not null && kind != type.Kind)
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }
        if (apiVersion is not null && apiVersion != type.ApiVersion)
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }
        body["apiVersion"] = type.ApiVersion;
        body["kind"] = type.Kind;
    }

    private static void SetNamespace(ResourceType type, string ns, JsonObject metadata)
    {
        if (!type.Namespaced)
        {
            metadata.Remove("namespace");
            return;
        }
        if (metadata["namespace"]?.GetValue<string>() is { Length: > 0 } bodyNs && bodyNs != ns)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        metadata["namespace"] = ns;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex SubdomainPattern();

    private static void ValidateName(ResourceType type, string name)
    {
        if (name.Length == 0)
        {
            throw ApiException.Invalid(type, name, [("metadata.name", "FieldValueRequired", "Required value: name or generateName is required")]);
        }
        if (type.Group == "rbac.authorization.k8s.io")
        {
            // RBAC names are path segments, as in Kubernetes (system:discovery, system:serviceaccount:...).
            if (name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('%', StringComparison.Ordinal))
            {
                throw ApiException.Invalid(type, name, [("metadata.name", "FieldValueInvalid",
                    $"Invalid value: \"{name}\": may not be '.' or '..' and may not contain '/' or '%'")]);
            }
            return;
        }
        if (type.Kind == "Namespace" ? !Regex.IsMatch(name, "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$") || name.Length > 63 : !SubdomainPattern().IsMatch(name) || name.Length > 253)
        {
            throw ApiException.Invalid(type, name, [("metadata.name", "FieldValueInvalid",
                $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character")]);
        }
    }

    private void RequireActiveNamespace(string ns)
    {
        var found = store.Get(BuiltInResources.Namespaces.StorageKey, "", ns) ?? throw ApiException.NotFound(BuiltInResources.Namespaces, ns);
        if (found.Object["metadata"]?["deletionTimestamp"] is not null)
        {
            throw new ApiException(403, "Forbidden", $"unable to create new content in namespace {ns} because it is being terminated",
                new JsonObject { ["name"] = ns, ["kind"] = "namespaces" });
        }
    }

    private static void CheckPrecondition(ResourceType type, StoredObject existing, string? resourceVersion)
    {
        if (!string.IsNullOrEmpty(resourceVersion) && resourceVersion != existing.ResourceVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw ApiException.Conflict(type, existing.Name);
        }
    }

    internal static JsonObject MetadataOf(JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject metadata)
        {
            obj["metadata"] = metadata = new JsonObject();
        }
        return metadata;
    }

    private static bool HasFinalizers(JsonObject obj) => obj["metadata"]?["finalizers"] is JsonArray { Count: > 0 };

    private static bool SpecEquals(JsonObject a, JsonObject b)
    {
        var keys = a.Select(p => p.Key).Concat(b.Select(p => p.Key)).Where(k => k is not ("metadata" or "status" or "apiVersion" or "kind")).Distinct();
        return keys.All(k => JsonNode.DeepEquals(a[k], b[k]));
    }

    private static JsonObject WithoutVolatile(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        if (copy["metadata"] is JsonObject metadata)
        {
            metadata.Remove("resourceVersion");
            if (metadata["managedFields"] is JsonArray fields)
            {
                foreach (var entry in fields.OfType<JsonObject>())
                {
                    entry.Remove("time");
                }
            }
        }
        return copy;
    }

    /// <summary>apiVersion, kind, metadata first, as Kubernetes serializes them.</summary>
    private static void Reorder(JsonObject obj)
    {
        var properties = obj.ToList();
        obj.Clear();
        foreach (var key in new[] { "apiVersion", "kind", "metadata" })
        {
            var found = properties.FirstOrDefault(p => p.Key == key);
            if (found.Key is not null)
            {
                obj[key] = found.Value;
            }
        }
        foreach (var (key, value) in properties.Where(p => p.Key is not ("apiVersion" or "kind" or "metadata")))
        {
            obj[key] = value;
        }
    }

    private static string RandomSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var builder = new StringBuilder(5);
        for (var i = 0; i < 5; i++)
        {
            builder.Append(alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]);
        }
        return builder.ToString();
    }
}
