using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Resources;

namespace Whetstone.LocalCluster.Discovery;

/// <summary>
/// OpenAPI documents: /openapi/v3 (root index and one document per group-version) and /openapi/v2.
/// Each kind's schema carries x-kubernetes-group-version-kind so kubectl can find it (explain, apply),
/// custom resources use their CRD's openAPIV3Schema, and every patch operation declares the
/// fieldValidation parameter, which is how kubectl learns it may ask for server-side field validation.
/// Built-in kinds get an open schema (kubectl's own types cover them).
/// </summary>
internal static class OpenApiDocuments
{
    private const string ObjectMetaRef = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

    public static JsonObject Version3Root(IEnumerable<ResourceType> all)
    {
        var paths = new JsonObject();
        foreach (var group in all.GroupBy(t => (t.Group, t.Version)))
        {
            var key = group.Key.Group.Length == 0 ? $"api/{group.Key.Version}" : $"apis/{group.Key.Group}/{group.Key.Version}";
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Version3GroupVersion(group, group.Key.Group, group.Key.Version).ToJsonString())));
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={hash}" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject Version3GroupVersion(IEnumerable<ResourceType> all, string group, string version)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject { [ObjectMetaRef] = ObjectMeta() };
        foreach (var type in all.Where(t => t.Group == group && t.Version == version))
        {
            var schemaName = SchemaName(type, type.Kind);
            schemas[schemaName] = KindSchema(type, "#/components/schemas/");
            schemas[SchemaName(type, type.ListKind)] = ListSchema(type, $"#/components/schemas/{schemaName}");
            AddPaths(paths, type, $"#/components/schemas/{schemaName}");
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    public static JsonObject Version2(IEnumerable<ResourceType> all)
    {
        var definitions = new JsonObject { [ObjectMetaRef] = ObjectMeta() };
        foreach (var type in all)
        {
            var schemaName = SchemaName(type, type.Kind);
            definitions[schemaName] = KindSchema(type, "#/definitions/");
            definitions[SchemaName(type, type.ListKind)] = ListSchema(type, $"#/definitions/{schemaName}");
        }
        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = new JsonObject(),
            ["definitions"] = definitions,
        };
    }

    private static string SchemaName(ResourceType type, string kind)
    {
        var group = type.Group.Length == 0 ? "io.k8s.api.core" : string.Join('.', type.Group.Split('.').Reverse());
        return $"{group}.{type.Version}.{kind}";
    }

    private static JsonArray Gvk(ResourceType type, string kind) =>
        new(new JsonObject { ["group"] = type.Group, ["kind"] = kind, ["version"] = type.Version });

    private static JsonObject KindSchema(ResourceType type, string refPrefix)
    {
        JsonObject schema;
        if (type.Custom?.OpenApiSchema is { } crdSchema)
        {
            schema = (JsonObject)crdSchema.DeepClone();
        }
        else
        {
            schema = new JsonObject
            {
                ["description"] = $"{type.Kind} (served by the Whetstone local cluster).",
                ["type"] = "object",
                ["x-kubernetes-preserve-unknown-fields"] = true,
            };
        }
        if (schema["properties"] is not JsonObject properties)
        {
            schema["properties"] = properties = new JsonObject();
        }
        properties["apiVersion"] ??= new JsonObject
        {
            ["description"] = "APIVersion defines the versioned schema of this representation of an object.",
            ["type"] = "string",
        };
        properties["kind"] ??= new JsonObject
        {
            ["description"] = "Kind is a string value representing the REST resource this object represents.",
            ["type"] = "string",
        };
        properties["metadata"] = new JsonObject
        {
            ["description"] = "Standard object's metadata.",
            ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = refPrefix + ObjectMetaRef }),
        };
        schema["x-kubernetes-group-version-kind"] = Gvk(type, type.Kind);
        return schema;
    }

    private static JsonObject ListSchema(ResourceType type, string itemRef) => new()
    {
        ["description"] = $"{type.ListKind} is a list of {type.Kind}.",
        ["type"] = "object",
        ["required"] = new JsonArray("items"),
        ["properties"] = new JsonObject
        {
            ["apiVersion"] = new JsonObject { ["type"] = "string" },
            ["kind"] = new JsonObject { ["type"] = "string" },
            ["items"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["$ref"] = itemRef } },
            ["metadata"] = new JsonObject { ["type"] = "object" },
        },
        ["x-kubernetes-group-version-kind"] = Gvk(type, type.ListKind),
    };

    private static void AddPaths(JsonObject paths, ResourceType type, string itemRef)
    {
        var prefix = type.GroupVersionPath + (type.Namespaced ? "/namespaces/{namespace}/" : "/") + type.Resource;
        paths[prefix] = new JsonObject
        {
            ["get"] = Operation(type, "list", itemRef, []),
            ["post"] = Operation(type, "post", itemRef, ["dryRun", "fieldManager", "fieldValidation"]),
            ["delete"] = Operation(type, "deletecollection", itemRef, ["dryRun"]),
            ["parameters"] = PathParameters(type.Namespaced, named: false),
        };
        paths[prefix + "/{name}"] = new JsonObject
        {
            ["get"] = Operation(type, "get", itemRef, []),
            ["put"] = Operation(type, "put", itemRef, ["dryRun", "fieldManager", "fieldValidation"]),
            ["patch"] = Operation(type, "patch", itemRef, ["dryRun", "fieldManager", "fieldValidation", "force"]),
            ["delete"] = Operation(type, "delete", itemRef, ["dryRun", "gracePeriodSeconds", "propagationPolicy"]),
            ["parameters"] = PathParameters(type.Namespaced, named: true),
        };
        if (type.HasStatus)
        {
            paths[prefix + "/{name}/status"] = new JsonObject
            {
                ["get"] = Operation(type, "get", itemRef, []),
                ["put"] = Operation(type, "put", itemRef, ["dryRun", "fieldManager", "fieldValidation"]),
                ["patch"] = Operation(type, "patch", itemRef, ["dryRun", "fieldManager", "fieldValidation", "force"]),
                ["parameters"] = PathParameters(type.Namespaced, named: true),
            };
        }
    }

    private static JsonObject Operation(ResourceType type, string action, string itemRef, string[] queryParameters)
    {
        var operation = new JsonObject
        {
            ["operationId"] = $"{action}{type.Kind}",
            ["parameters"] = new JsonArray([.. queryParameters.Select(p => (JsonNode)new JsonObject
            {
                ["name"] = p,
                ["in"] = "query",
                ["description"] = p,
                ["schema"] = new JsonObject { ["type"] = p == "force" ? "boolean" : p == "gracePeriodSeconds" ? "integer" : "string" },
                ["uniqueItems"] = true,
            })]),
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "OK",
                    ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = itemRef } } },
                },
            },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = type.Group, ["kind"] = type.Kind, ["version"] = type.Version },
        };
        if (action is "patch")
        {
            operation["requestBody"] = new JsonObject
            {
                ["content"] = new JsonObject
                {
                    ["application/apply-patch+yaml"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } },
                    ["application/json-patch+json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } },
                    ["application/merge-patch+json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } },
                },
                ["required"] = true,
            };
        }
        return operation;
    }

    private static JsonArray PathParameters(bool namespaced, bool named)
    {
        var parameters = new JsonArray();
        if (named)
        {
            parameters.Add(new JsonObject { ["name"] = "name", ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }
        if (namespaced)
        {
            parameters.Add(new JsonObject { ["name"] = "namespace", ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }
        return parameters;
    }

    private static JsonObject ObjectMeta()
    {
        static JsonObject Field(string type, string description) => new() { ["type"] = type, ["description"] = description };
        return new JsonObject
        {
            ["description"] = "ObjectMeta is metadata that all persisted resources must have.",
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["name"] = Field("string", "Name must be unique within a namespace."),
                ["generateName"] = Field("string", "An optional prefix used by the server to generate a unique name."),
                ["namespace"] = Field("string", "Namespace defines the space within which each name must be unique."),
                ["uid"] = Field("string", "UID is the unique in time and space value for this object."),
                ["resourceVersion"] = Field("string", "An opaque value that represents the internal version of this object."),
                ["generation"] = Field("integer", "A sequence number representing a specific generation of the desired state."),
                ["creationTimestamp"] = Field("string", "CreationTimestamp is a timestamp representing the server time when this object was created."),
                ["deletionTimestamp"] = Field("string", "The time after which this resource will be deleted."),
                ["labels"] = new JsonObject { ["type"] = "object", ["description"] = "Map of string keys and values for organizing objects.", ["additionalProperties"] = new JsonObject { ["type"] = "string" } },
                ["annotations"] = new JsonObject { ["type"] = "object", ["description"] = "Unstructured key value map stored with a resource.", ["additionalProperties"] = new JsonObject { ["type"] = "string" } },
                ["finalizers"] = new JsonObject { ["type"] = "array", ["description"] = "Must be empty before the object is deleted from the registry.", ["items"] = new JsonObject { ["type"] = "string" } },
                ["ownerReferences"] = new JsonObject { ["type"] = "array", ["description"] = "List of objects depended by this object.", ["items"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true } },
                ["managedFields"] = new JsonObject { ["type"] = "array", ["description"] = "Which fields each workflow manages.", ["items"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true } },
            },
        };
    }
}
