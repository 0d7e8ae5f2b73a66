using System.Globalization;
using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Resources;
using Whetstone.LocalCluster.Storage;

namespace Whetstone.LocalCluster.Api;

/// <summary>
/// Deletion: finalizers hold an object (with deletionTimestamp set) until they are removed; dependents
/// (ownerReferences) are collected in the background, first (Foreground) or orphaned; a namespace turns
/// Terminating, loses its contents, then goes. Collection runs synchronously inside the delete, so it is
/// complete when the response is sent, except for objects that finalizers hold.
/// </summary>
internal sealed partial class ObjectService
{
    private const string ForegroundFinalizer = "foregroundDeletion";

    public WriteResult Delete(ResourceType type, string ns, string name, DeleteRequest request)
    {
        using (store.BeginWrite())
        {
            var existing = store.Get(type.StorageKey, ns, name) ?? throw ApiException.NotFound(type, name);
            if (request.PreconditionUid is { Length: > 0 } uid && uid != existing.Uid)
            {
                throw new ApiException(409, "Conflict",
                    $"Operation cannot be fulfilled on {type.QualifiedResource} \"{name}\": Precondition failed: UID in precondition: {uid}, UID in object meta: {existing.Uid}", type.Details(name));
            }
            if (request.PreconditionResourceVersion is { Length: > 0 } rv && rv != existing.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiException.Conflict(type, name);
            }
            if (request.DryRun)
            {
                return new WriteResult(existing.Object, 200, []);
            }
            var policy = request.PropagationPolicy ?? "Background";
            if (policy is not ("Background" or "Foreground" or "Orphan"))
            {
                throw ApiException.BadRequest($"DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
            }
            if (type == BuiltInResources.Namespaces)
            {
                return new WriteResult(DeleteNamespace(existing).Object, 200, []);
            }
            if (type == BuiltInResources.CustomResourceDefinitions)
            {
                return new WriteResult(DeleteDefinition(existing).Object, 200, []);
            }
            return new WriteResult(DeleteObject(existing, policy).Object, 200, []);
        }
    }

    private StoredObject DeleteObject(StoredObject existing, string policy)
    {
        var dependents = store.GetDependents(existing.Uid);
        if (policy == "Orphan")
        {
            foreach (var dependent in dependents)
            {
                Orphan(dependent, existing.Uid);
            }
        }
        var obj = (JsonObject)existing.Object.DeepClone();
        var metadata = MetadataOf(obj);
        var finalizers = metadata["finalizers"] as JsonArray ?? [];
        if (policy == "Foreground" && dependents.Count > 0 && !finalizers.Any(f => f?.GetValue<string>() == ForegroundFinalizer))
        {
            finalizers.Add(ForegroundFinalizer);
            metadata["finalizers"] = finalizers.DeepClone();
        }
        if (finalizers.Count == 0)
        {
            return RemoveNow(existing);
        }
        var held = existing;
        if (metadata["deletionTimestamp"] is null)
        {
            metadata["deletionTimestamp"] = Timestamps.Now();
            metadata["deletionGracePeriodSeconds"] = 0;
            held = store.Put(existing.StorageKey, obj, "MODIFIED");
        }
        else if (!JsonNode.DeepEquals(obj, existing.Object))
        {
            held = store.Put(existing.StorageKey, obj, "MODIFIED");
        }
        if (policy == "Foreground")
        {
            foreach (var dependent in dependents)
            {
                if (store.Get(dependent.StorageKey, dependent.Namespace, dependent.Name) is { } current)
                {
                    DeleteObject(current, "Foreground");
                }
            }
            return CompleteForegroundDeletion(held.Uid) ?? store.GetByUid(held.Uid) ?? held;
        }
        return held;
    }

    /// <summary>Removes an object whose finalizers are done, then collects what depended on it.</summary>
    private StoredObject RemoveNow(StoredObject existing)
    {
        var removed = store.Remove(existing);
        foreach (var dependent in store.GetDependents(removed.Uid))
        {
            if (store.Get(dependent.StorageKey, dependent.Namespace, dependent.Name) is { } current && !HasLiveOwner(current))
            {
                DeleteObject(current, "Background");
            }
        }
        foreach (var ownerUid in OwnerUids(removed.Object))
        {
            CompleteForegroundDeletion(ownerUid);
        }
        if (removed.Namespace.Length > 0)
        {
            FinishNamespaceIfEmpty(removed.Namespace);
        }
        if (existing.StorageKey == BuiltInResources.CustomResourceDefinitions.StorageKey)
        {
            registry.RemoveCustomResource(existing.Name);
        }
        return removed;
    }

    private bool HasLiveOwner(StoredObject dependent) =>
        OwnerUids(dependent.Object).Any(uid => store.GetByUid(uid) is { } owner && owner.Object["metadata"]?["deletionTimestamp"] is null);

    private static IEnumerable<string> OwnerUids(JsonObject obj) =>
        (obj["metadata"]?["ownerReferences"] as JsonArray ?? []).Select(r => r?["uid"]?.GetValue<string>()).OfType<string>();

    /// <summary>An owner in foreground deletion goes once no dependent is left.</summary>
    private StoredObject? CompleteForegroundDeletion(string ownerUid)
    {
        if (store.GetByUid(ownerUid) is not { } owner || store.GetDependents(ownerUid).Count > 0)
        {
            return null;
        }
        var finalizers = owner.Object["metadata"]?["finalizers"] as JsonArray;
        if (owner.Object["metadata"]?["deletionTimestamp"] is null || finalizers is null || !finalizers.Any(f => f?.GetValue<string>() == ForegroundFinalizer))
        {
            return null;
        }
        var obj = (JsonObject)owner.Object.DeepClone();
        var remaining = new JsonArray([.. finalizers.Where(f => f?.GetValue<string>() != ForegroundFinalizer).Select(f => f?.DeepClone())]);
        if (remaining.Count == 0)
        {
            obj["metadata"]!.AsObject().Remove("finalizers");
            var last = store.Put(owner.StorageKey, obj, "MODIFIED");
            return RemoveNow(last);
        }
        obj["metadata"]!["finalizers"] = remaining;
        return store.Put(owner.StorageKey, obj, "MODIFIED");
    }

    private void Orphan(StoredObject dependent, string ownerUid)
    {
        var obj = (JsonObject)dependent.Object.DeepClone();
        var references = (JsonArray)obj["metadata"]!["ownerReferences"]!;
        foreach (var reference in references.Where(r => r?["uid"]?.GetValue<string>() == ownerUid).ToList())
        {
            references.Remove(reference);
        }
        if (references.Count == 0)
        {
            obj["metadata"]!.AsObject().Remove("ownerReferences");
        }
        store.Put(dependent.StorageKey, obj, "MODIFIED");
    }

    private StoredObject DeleteNamespace(StoredObject existing)
    {
        var current = existing;
        if (existing.Object["metadata"]?["deletionTimestamp"] is null)
        {
            var obj = (JsonObject)existing.Object.DeepClone();
            obj["metadata"]!["deletionTimestamp"] = Timestamps.Now();
            obj["metadata"]!["deletionGracePeriodSeconds"] = 0;
            obj["status"] = new JsonObject { ["phase"] = "Terminating" };
            current = store.Put(existing.StorageKey, obj, "MODIFIED");
        }
        foreach (var storageKey in store.StorageKeysWithNamespace(existing.Name))
        {
            foreach (var item in store.List(storageKey, existing.Name, null, _ => true, int.MaxValue).Items)
            {
                if (store.Get(item.StorageKey, item.Namespace, item.Name) is { } live)
                {
                    DeleteObject(live, "Background");
                }
            }
        }
        return FinishNamespaceIfEmpty(existing.Name) ?? current;
    }

    private StoredObject? FinishNamespaceIfEmpty(string ns)
    {
        if (store.Get(BuiltInResources.Namespaces.StorageKey, "", ns) is not { } namespaceObject
            || namespaceObject.Object["metadata"]?["deletionTimestamp"] is null
            || store.StorageKeysWithNamespace(ns).Count > 0)
        {
            return null;
        }
        return store.Remove(namespaceObject);
    }

    private StoredObject DeleteDefinition(StoredObject definition)
    {
        var storageKey = $"{definition.Object["spec"]?["group"]?.GetValue<string>()}/{definition.Object["spec"]?["names"]?["plural"]?.GetValue<string>()}";
        foreach (var item in store.List(storageKey, null, null, _ => true, int.MaxValue).Items)
        {
            store.Remove(item);
        }
        return DeleteObject(definition, "Background");
    }
}
