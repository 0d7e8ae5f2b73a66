using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.LocalCluster.CustomResources;
using Whetstone.LocalCluster.Patching;
using Whetstone.LocalCluster.Resources;
using Whetstone.LocalCluster.Storage;

namespace Whetstone.LocalCluster.Api;

/// <summary>
/// The write path: create, update, patch, delete with the semantics clients depend on (resourceVersion
/// preconditions, generation, status subresource, managedFields, validation, finalizers, garbage
/// collection, namespace termination). Every read-modify-write runs under the store's write lock, so
/// concurrent writers get 409 Conflict rather than lose an update.
/// </summary>
internal sealed partial class ObjectService(ObjectStore store, ResourceRegistry registry)
{
    public ObjectStore Store => store;

    public ResourceRegistry Registry => registry;

    public WriteResult Create(ResourceType type, string ns, JsonObject body, WriteOptions options, JsonNode? appliedManagedFields = null)
    {
        using (store.BeginWrite())
        {
            CheckKind(type, body);
            var metadata = MetadataOf(body);
            SetNamespace(type, ns, metadata);
            if (metadata["name"] is null && metadata["generateName"]?.GetValue<string>() is { Length: > 0 } prefix)
            {
                metadata["name"] = prefix + RandomSuffix();
            }
            var name = metadata["name"]?.GetValue<string>() ?? "";
            ValidateName(type, name);
            if (type.Namespaced)
            {
                RequireActiveNamespace(ns);
            }
            if (store.Get(type.StorageKey, ns, name) is not null)
            {
                throw ApiException.AlreadyExists(type, name);
            }
            foreach (var key in new[] { "resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "managedFields" })
            {
                metadata.Remove(key);
            }
            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = Timestamps.Now();
            if (type.TracksGeneration)
            {
                metadata["generation"] = 1;
            }
            else
            {
                metadata.Remove("generation");
            }
            if (type.HasStatus && type.Custom is not null)
            {
                body.Remove("status");
            }
            BuiltInDefaults.OnCreate(type, body, UsedClusterIps);
            var warnings = new List<string>();
            body = Validate(type, body, null, options, warnings);
            if (appliedManagedFields is not null)
            {
                metadata = MetadataOf(body);
                metadata["managedFields"] = appliedManagedFields;
                ManagedFieldsTracker.DropAbsentFields(body);
            }
            else
            {
                ManagedFieldsTracker.RecordUpdate(null, body, options.FieldManager, type.ApiVersion, null);
            }
            Reorder(body);
            if (options.DryRun)
            {
                return new WriteResult(body, 201, warnings);
            }
            var stored = store.Put(type.StorageKey, body, "ADDED");
            AfterWrite(type, stored);
            return new WriteResult(stored.Object, 201, warnings, stored.Json);
        }
    }

    public WriteResult Update(ResourceType type, string ns, string name, string? subresource, JsonObject body, WriteOptions options)
    {
        using (store.BeginWrite())
        {
            CheckKind(type, body);
            var existing = store.Get(type.StorageKey, ns, name) ?? throw ApiException.NotFound(type, name);
            var metadata = MetadataOf(body);
            if (metadata["name"]?.GetValue<string>() is { } bodyName && bodyName != name)
            {
                throw ApiException.BadRequest($"metadata.name: the name of the object ({bodyName}) does not match the name on the URL ({name})");
            }
            if (type.Namespaced && metadata["namespace"]?.GetValue<string>() is { Length: > 0 } bodyNs && bodyNs != ns)
            {
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
            CheckPrecondition(type, existing, metadata["resourceVersion"]?.GetValue<string>());
            return Commit(type, existing, body, subresource, options, operation: null);
        }
    }

    public WriteResult Patch(ResourceType type, string ns, string name, string? subresource, string contentType, string patchText, WriteOptions options)
    {
        using (store.BeginWrite())
        {
            var mediaType = contentType.Split(';')[0].Trim();
            // The patch type is checked first, as kube-apiserver does: an unknown one is 415 whatever the body or object.
            if (mediaType is not ("application/apply-patch+yaml" or "application/merge-patch+json" or "application/json-patch+json")
                && !(mediaType == "application/strategic-merge-patch+json" && type.SupportsStrategicMerge))
            {
                throw ApiException.UnsupportedMediaType(contentType);
            }
            var existing = store.Get(type.StorageKey, ns, name);
            if (mediaType == "application/apply-patch+yaml")
            {
                return Apply(type, ns, name, subresource, patchText, existing, options);
            }
            if (existing is null)
            {
                throw ApiException.NotFound(type, name);
            }
            var live = (JsonObject)existing.Object.DeepClone();
            JsonNode? patched;
            try
            {
                var patch = RequestJson.Parse(patchText);
                patched = mediaType switch
                {
                    "application/merge-patch+json" => MergePatch.Apply(live, patch),
                    "application/json-patch+json" => JsonPatch.Apply(live, patch as JsonArray ?? throw ApiException.BadRequest("json patch must be a list of operations")),
                    "application/strategic-merge-patch+json" when type.SupportsStrategicMerge => StrategicMergePatch.Apply(live, patch),
                    _ => throw ApiException.UnsupportedMediaType(contentType),
                };
            }
            catch (JsonException e)
            {
                throw ApiException.BadRequest($"error decoding patch: {e.Message}");
            }
            if (patched is not JsonObject patchedObject)
            {
                throw ApiException.BadRequest("the patch did not produce an object");
            }
            ObjectMetaCheck.RequireTypes(type, patchedObject);
            var metadata = MetadataOf(patchedObject);
            metadata["name"] = name;
            CheckPrecondition(type, existing, metadata["resourceVersion"]?.GetValue<string>());
            return Commit(type, existing, patchedObject, subresource, options, operation: null);
        }
    }

    /// <summary>pods/binding: assigns a pod to a node once, as the scheduler does (409 when already assigned).</summary>
    public WriteResult Bind(string ns, string name, string? uid, string nodeName, WriteOptions options)
    {
        using (store.BeginWrite())
        {
            var pods = BuiltInResources.Pods;
            var existing = store.Get(pods.StorageKey, ns, name) ?? throw ApiException.NotFound(pods, name);
            if (uid is { Length: > 0 } && uid != existing.Uid)
            {
                throw ApiException.Conflict(pods, name);
            }
            if (existing.Object["spec"]?["nodeName"]?.GetValue<string>() is { Length: > 0 } assigned)
            {
                throw new ApiException(409, "Conflict", $"Operation cannot be fulfilled on pods/binding \"{name}\": pod {name} is already assigned to node \"{assigned}\"", pods.Details(name));
            }
            var patch = new JsonObject { ["spec"] = new JsonObject { ["nodeName"] = nodeName } }.ToJsonString();
            return Patch(pods, ns, name, null, "application/merge-patch+json", patch, options);
        }
    }

    private WriteResult Apply(ResourceType type, string ns, string name, string? subresource, string patchText, StoredObject? existing, WriteOptions options)
    {
        if (options.FieldManager is "" or "unknown")
        {
            throw new ApiException(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
        }
        if (YamlJson.Parse(patchText) is not JsonObject applied)
        {
            throw ApiException.BadRequest("the apply patch must be an object");
        }
        CheckKind(type, applied);
        var metadata = MetadataOf(applied);
        metadata.Remove("managedFields");
        if (metadata["name"]?.GetValue<string>() is { } appliedName && appliedName != name)
        {
            throw ApiException.BadRequest($"metadata.name: the name of the object ({appliedName}) does not match the name on the URL ({name})");
        }
        metadata["name"] = name;
        var includeStatus = subresource == "status" || !type.HasStatus;
        var merged = ServerSideApply.Apply(existing?.Object, applied, options.FieldManager, options.Force, type.ApiVersion, subresource, includeStatus,
            conflicts => Conflicts(type, name, conflicts));
        if (existing is null)
        {
            var managed = merged["metadata"]!["managedFields"]?.DeepClone();
            return Create(type, ns, merged, options, managed);
        }
        CheckPrecondition(type, existing, metadata["resourceVersion"]?.GetValue<string>());
        return Commit(type, existing, merged, subresource, options, operation: "Apply");
    }

    private static ApiException Conflicts(ResourceType type, string name, IReadOnlyList<(string Field, string Message)> conflicts)
    {
        var details = type.Details(name);
        details["causes"] = new JsonArray([.. conflicts.Select(c => (JsonNode)new JsonObject { ["reason"] = "FieldManagerConflict", ["message"] = c.Message, ["field"] = c.Field })]);
        var text = conflicts.Count == 1 ? $"Apply failed with 1 conflict: {conflicts[0].Message}"
            : $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", conflicts.Select(c => c.Message))}";
        return new ApiException(409, "Conflict", text, details);
    }

    /// <summary>Turns a candidate object into the next stored version of <paramref name="existing"/>.</summary>
    private WriteResult Commit(ResourceType type, StoredObject existing, JsonObject candidate, string? subresource, WriteOptions options, string? operation)
    {
        var old = existing.Object;
        JsonObject next;
        if (subresource == "status")
        {
            next = (JsonObject)old.DeepClone();
            if (candidate["status"] is { } status)
            {
                next["status"] = status.DeepClone();
            }
            else
            {
                next.Remove("status");
            }
            if (operation == "Apply")
            {
                next["metadata"]!["managedFields"] = candidate["metadata"]?["managedFields"]?.DeepClone();
            }
        }
        else
        {
            next = candidate;
            if (type.HasStatus)
            {
                if (old["status"] is { } oldStatus)
                {
                    next["status"] = oldStatus.DeepClone();
                }
                else
                {
                    next.Remove("status");
                }
            }
        }
        var metadata = MetadataOf(next);
        var oldMetadata = (JsonObject)old["metadata"]!;
        foreach (var key in new[] { "uid", "creationTimestamp", "name", "namespace", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            if (oldMetadata[key] is { } value)
            {
                metadata[key] = value.DeepClone();
            }
            else
            {
                metadata.Remove(key);
            }
        }
        metadata["resourceVersion"] = existing.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        if (operation != "Apply")
        {
            metadata["managedFields"] = oldMetadata["managedFields"]?.DeepClone();
            if (metadata["managedFields"] is null)
            {
                metadata.Remove("managedFields");
            }
        }
        BuiltInDefaults.OnWrite(type, next);
        var warnings = new List<string>();
        if (subresource != "status")
        {
            next = Validate(type, next, old, options, warnings);
            if (operation == "Apply")
            {
                ManagedFieldsTracker.DropAbsentFields(next);
            }
        }
        if (type.TracksGeneration && !SpecEquals(old, next))
        {
            metadata = MetadataOf(next);
            metadata["generation"] = (JsonInteger.Read(oldMetadata["generation"]) ?? 0) + 1;
        }
        if (operation != "Apply")
        {
            ManagedFieldsTracker.RecordUpdate(old, next, options.FieldManager, type.ApiVersion, subresource);
        }
        Reorder(next);
        if (JsonNode.DeepEquals(WithoutVolatile(old), WithoutVolatile(next)))
        {
            return new WriteResult(old, 200, warnings);
        }
        if (oldMetadata["deletionTimestamp"] is not null && !HasFinalizers(next))
        {
            if (options.DryRun)
            {
                return new WriteResult(next, 200, warnings);
            }
            var last = store.Put(type.StorageKey, next, "MODIFIED");
            return new WriteResult(RemoveNow(last).Object, 200, warnings);
        }
        if (options.DryRun)
        {
            return new WriteResult(next, 200, warnings);
        }
        var stored = store.Put(type.StorageKey, next, "MODIFIED");
        AfterWrite(type, stored);
        return new WriteResult(stored.Object, 200, warnings, stored.Json);
    }

    private JsonObject Validate(ResourceType type, JsonObject obj, JsonObject? old, WriteOptions options, List<string> warnings)
    {
        var name = obj["metadata"]?["name"]?.GetValue<string>() ?? "";
        if (ObjectMetaCheck.Validate(obj) is { Count: > 0 } metadataErrors)
        {
            throw ApiException.Invalid(type, name, metadataErrors);
        }
        if (type == BuiltInResources.CustomResourceDefinitions)
        {
            var (_, errors) = CrdRegistration.Build(obj);
            if (errors.Count > 0)
            {
                throw ApiException.Invalid(type, name, [.. errors.Select(e => (e.Field, e.Reason, e.Message))]);
            }
            CrdRegistration.ApplyDefaultsAndStatus(obj);
            return obj;
        }
        if (type.Custom?.Schema is not { } schema)
        {
            return obj;
        }
        var outcome = schema.Validate(obj, old, options.FieldValidation == FieldValidation.Strict);
        var unknown = outcome.Errors.Where(e => e.Reason == "FieldValueUnknown").ToList();
        if (unknown.Count > 0)
        {
            // kube-apiserver rejects unknown fields while decoding, before validation, with 400.
            throw ApiException.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: "
                + string.Join(", ", unknown.Select(e => $"unknown field \"{e.Field}\"")));
        }
        if (outcome.Errors.Count > 0)
        {
            throw ApiException.Invalid(type, name, [.. outcome.Errors.Select(e => (e.Field, e.Reason, e.Message))]);
        }
        if (options.FieldValidation == FieldValidation.Warn)
        {
            warnings.AddRange(outcome.Warnings);
        }
        return outcome.Object;
    }

    private void AfterWrite(ResourceType type, StoredObject stored)
    {
        if (type == BuiltInResources.CustomResourceDefinitions)
        {
            var (types, _) = CrdRegistration.Build(stored.Object);
            registry.SetCustomResource(stored.Name, types);
        }
        if (type == BuiltInResources.Namespaces)
        {
            EnsureDefaultServiceAccount(stored.Name);
        }
    }

    /// <summary>
    /// Creates the namespace's <c>default</c> ServiceAccount when it is missing and the namespace is active, as
    /// kube-controller-manager's ServiceAccount controller does: every Pod names an account, <c>default</c> unless set.
    /// </summary>
    public void EnsureDefaultServiceAccount(string ns)
    {
        using (store.BeginWrite())
        {
            var found = store.Get(BuiltInResources.Namespaces.StorageKey, "", ns);
            if (found is null || found.Object["metadata"]?["deletionTimestamp"] is not null
                || store.Get(BuiltInResources.ServiceAccounts.StorageKey, ns, "default") is not null)
            {
                return;
            }
            Create(BuiltInResources.ServiceAccounts, ns, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } },
                WriteOptions.Default with { FieldManager = "whetstone-apiserver" });
        }
    }

    private HashSet<string> UsedClusterIps() =>
        store.List(BuiltInResources.Services.StorageKey, null, null, _ => true, int.MaxValue).Items
            .Select(s => s.Object["spec"]?["clusterIP"]?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal);
}
