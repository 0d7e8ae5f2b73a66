using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Api;
using Whetstone.LocalCluster.Resources;

namespace Whetstone.LocalCluster.CustomResources;

/// <summary>
/// Turns a CustomResourceDefinition into served resource types: validates it the way apiextensions does
/// (names, scope, versions, a compilable schema per version), fills defaults, and writes its status
/// (NamesAccepted and Established at once: this server needs no time to start serving).
/// </summary>
internal static class CrdRegistration
{
    public static (IReadOnlyList<ResourceType> Types, IReadOnlyList<SchemaFieldError> Errors) Build(JsonObject crd)
    {
        var errors = new List<SchemaFieldError>();
        var spec = crd["spec"] as JsonObject;
        var group = Text(spec?["group"]);
        var names = spec?["names"] as JsonObject;
        var plural = Text(names?["plural"]);
        var kind = Text(names?["kind"]);
        var scope = Text(spec?["scope"]);
        Require(errors, group, "spec.group");
        Require(errors, plural, "spec.names.plural");
        Require(errors, kind, "spec.names.kind");
        if (scope is not ("Namespaced" or "Cluster"))
        {
            errors.Add(new("spec.scope", "FieldValueNotSupported", $"Unsupported value: \"{scope}\": supported values: \"Cluster\", \"Namespaced\""));
        }
        var name = Text(crd["metadata"]?["name"]);
        if (plural.Length > 0 && group.Length > 0 && name != $"{plural}.{group}")
        {
            errors.Add(new("metadata.name", "FieldValueInvalid", $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group"));
        }
        if (plural.Length > 0 && plural != plural.ToLowerInvariant())
        {
            errors.Add(new("spec.names.plural", "FieldValueInvalid", $"Invalid value: \"{plural}\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'"));
        }
        var versions = spec?["versions"] as JsonArray ?? [];
        if (versions.Count == 0)
        {
            errors.Add(new("spec.versions", "FieldValueInvalid", "Invalid value: null: must have exactly one version marked as storage version"));
        }
        else if (versions.Count(v => v?["storage"]?.GetValue<bool>() == true) != 1)
        {
            errors.Add(new("spec.versions", "FieldValueInvalid", "Invalid value: []apiextensions.CustomResourceDefinitionVersion{...}: must have exactly one version marked as storage version"));
        }
        var types = new List<ResourceType>();
        for (var i = 0; i < versions.Count; i++)
        {
            if (versions[i] is not JsonObject version)
            {
                continue;
            }
            var type = BuildVersion(version, $"spec.versions[{i}]", group, plural, kind, scope, names, name, errors);
            if (type is not null && version["served"]?.GetValue<bool>() != false)
            {
                types.Add(type);
            }
        }
        return (errors.Count == 0 ? types : [], errors);
    }

    private static ResourceType? BuildVersion(JsonObject version, string path, string group, string plural, string kind, string scope,
        JsonObject? names, string crdName, List<SchemaFieldError> errors)
    {
        var versionName = Text(version["name"]);
        Require(errors, versionName, path + ".name");
        var openApi = version["schema"]?["openAPIV3Schema"] as JsonObject;
        CustomResourceSchema? schema = null;
        if (openApi is null)
        {
            errors.Add(new(path + ".schema.openAPIV3Schema", "FieldValueRequired", "Required value: schemas are required"));
        }
        else
        {
            var (compiled, schemaErrors) = CustomResourceSchema.Compile(openApi, path + ".schema.openAPIV3Schema");
            errors.AddRange(schemaErrors);
            schema = compiled;
        }
        if (versionName.Length == 0 || plural.Length == 0 || kind.Length == 0)
        {
            return null;
        }
        return new ResourceType
        {
            Group = group,
            Version = versionName,
            Resource = plural,
            Kind = kind,
            Singular = Text(names?["singular"]) is { Length: > 0 } singular ? singular : kind.ToLowerInvariant(),
            Namespaced = scope != "Cluster",
            ShortNames = Strings(names?["shortNames"]),
            Categories = Strings(names?["categories"]),
            HasStatus = version["subresources"]?["status"] is not null,
            TracksGeneration = true,
            SupportsStrategicMerge = false,
            Custom = new CustomResourceVersion(crdName, openApi, schema, PrinterColumns(version)),
        };
    }

    private static List<PrinterColumn> PrinterColumns(JsonObject version)
    {
        var columns = new List<PrinterColumn>();
        if (version["additionalPrinterColumns"] is JsonArray array && array.Count > 0)
        {
            foreach (var column in array.OfType<JsonObject>())
            {
                columns.Add(new PrinterColumn(Text(column["name"]), Text(column["type"]) is { Length: > 0 } t ? t : "string",
                    Text(column["format"]), Text(column["description"]), (int)(JsonInteger.Read(column["priority"]) ?? 0), Text(column["jsonPath"])));
            }
        }
        else
        {
            columns.Add(new PrinterColumn("Age", "date", "", "", 0, ".metadata.creationTimestamp"));
        }
        return columns;
    }

    /// <summary>Fills names defaults and the status apiextensions reports for an accepted CRD.</summary>
    public static void ApplyDefaultsAndStatus(JsonObject crd)
    {
        var spec = crd["spec"]!.AsObject();
        var names = spec["names"]!.AsObject();
        var kind = Text(names["kind"]);
        names["singular"] ??= kind.ToLowerInvariant();
        names["listKind"] ??= kind + "List";
        var storage = (spec["versions"] as JsonArray ?? []).FirstOrDefault(v => v?["storage"]?.GetValue<bool>() == true)?["name"]?.GetValue<string>();
        var now = Timestamps.Now();
        var previous = crd["status"] as JsonObject;
        var stored = previous?["storedVersions"] as JsonArray ?? [];
        var storedVersions = stored.Select(v => v!.GetValue<string>()).ToList();
        if (storage is not null && !storedVersions.Contains(storage))
        {
            storedVersions.Add(storage);
        }
        crd["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", previous, now),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", previous, now)),
            ["acceptedNames"] = names.DeepClone(),
            ["storedVersions"] = new JsonArray([.. storedVersions.Select(v => JsonValue.Create(v))]),
        };
    }

    private static JsonObject Condition(string type, string reason, string message, JsonObject? previousStatus, string now)
    {
        var previous = (previousStatus?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => Text(c["type"]) == type);
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = "True",
            ["lastTransitionTime"] = previous?["lastTransitionTime"]?.GetValue<string>() ?? now,
            ["reason"] = reason,
            ["message"] = message,
        };
    }

    private static void Require(List<SchemaFieldError> errors, string value, string field)
    {
        if (value.Length == 0)
        {
            errors.Add(new(field, "FieldValueRequired", "Required value"));
        }
    }

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static List<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(Text).Where(s => s.Length > 0).ToList();
}
