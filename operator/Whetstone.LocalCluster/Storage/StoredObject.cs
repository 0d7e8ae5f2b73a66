using System.Text.Json.Nodes;

namespace Whetstone.LocalCluster.Storage;

/// <summary>
/// One committed object. <see cref="Object"/> is shared by every reader and must never be mutated:
/// writers clone it first. <see cref="Json"/> is its serialized form, written to responses as is.
/// </summary>
internal sealed record StoredObject(string StorageKey, string Namespace, string Name, long ResourceVersion, JsonObject Object, string Json)
{
    public string Uid => Object["metadata"]?["uid"]?.GetValue<string>() ?? "";

    public string CacheKey => Namespace + "/" + Name;
}
