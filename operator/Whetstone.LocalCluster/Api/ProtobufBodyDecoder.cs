using System.Text;
using System.Text.Json.Nodes;

namespace Whetstone.LocalCluster.Api;

/// <summary>
/// Decodes the protobuf request bodies kubectl's typed generators send (<c>kubectl create namespace |
/// configmap | secret | serviceaccount | token</c>, <c>kubectl auth can-i | whoami</c>): the "k8s\0" envelope
/// (runtime.Unknown) around the object's protobuf encoding. Only those kinds and the fields a client sets are
/// understood; anything else is 415 and the client should send JSON.
/// </summary>
internal static class ProtobufBodyDecoder
{
    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    public static JsonObject Decode(byte[] body)
    {
        if (body.Length < Magic.Length || !body.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw Unsupported("the protobuf body does not start with the k8s envelope");
        }
        string? apiVersion = null;
        string? kind = null;
        byte[]? raw = null;
        foreach (var (field, value) in Fields(body.AsMemory(Magic.Length)))
        {
            switch (field)
            {
                case 1:
                    foreach (var (f, v) in Fields(value))
                    {
                        if (f == 1) { apiVersion = Text(v); }
                        else if (f == 2) { kind = Text(v); }
                    }
                    break;
                case 2:
                    raw = value.ToArray();
                    break;
            }
        }
        if (raw is null || kind is null)
        {
            throw Unsupported("the protobuf envelope has no object");
        }
        var obj = new JsonObject { ["apiVersion"] = apiVersion ?? "v1", ["kind"] = kind };
        if (ProtobufReviews.Decode(kind, raw, obj))
        {
            return obj;
        }
        foreach (var (field, value) in Fields(raw))
        {
            switch (kind, field)
            {
                case (_, 1):
                    obj["metadata"] = Metadata(value);
                    break;
                case ("ConfigMap", 2) or ("Secret", 4):
                    AddEntry(obj, field == 2 ? "data" : "stringData", value, base64: false);
                    break;
                case ("ConfigMap", 3) or ("Secret", 2):
                    AddEntry(obj, kind == "ConfigMap" ? "binaryData" : "data", value, base64: true);
                    break;
                case ("Secret", 3) when value.Length > 0:
                    obj["type"] = Text(value);
                    break;
                case ("Namespace", 2):
                    obj["spec"] = new JsonObject();
                    break;
                case ("ConfigMap" or "Secret" or "Namespace" or "ServiceAccount", _):
                    break;
                default:
                    throw Unsupported($"protobuf bodies of kind {kind} are not understood");
            }
        }
        if (kind is not ("ConfigMap" or "Secret" or "Namespace" or "ServiceAccount"))
        {
            throw Unsupported($"protobuf bodies of kind {kind} are not understood");
        }
        return obj;
    }

    private static JsonObject Metadata(ReadOnlyMemory<byte> bytes)
    {
        var metadata = new JsonObject();
        foreach (var (field, value) in Fields(bytes))
        {
            switch (field)
            {
                case 1 or 2 or 3 or 6 when value.Length > 0:
                    metadata[field switch { 1 => "name", 2 => "generateName", 3 => "namespace", _ => "resourceVersion" }] = Text(value);
                    break;
                case 11: AddEntry(metadata, "labels", value, base64: false); break;
                case 12: AddEntry(metadata, "annotations", value, base64: false); break;
                case 14:
                    if (metadata["finalizers"] is not JsonArray finalizers)
                    {
                        metadata["finalizers"] = finalizers = [];
                    }
                    finalizers.Add(Text(value));
                    break;
            }
        }
        return metadata;
    }

    private static void AddEntry(JsonObject target, string property, ReadOnlyMemory<byte> entry, bool base64)
    {
        string key = "";
        JsonNode? value = "";
        foreach (var (field, bytes) in Fields(entry))
        {
            if (field == 1)
            {
                key = Text(bytes);
            }
            else if (field == 2)
            {
                value = base64 ? Convert.ToBase64String(bytes.Span) : Text(bytes);
            }
        }
        if (target[property] is not JsonObject map)
        {
            target[property] = map = new JsonObject();
        }
        map[key] = value;
    }

    /// <summary>The length-delimited fields of a message; varint and fixed fields are skipped.</summary>
    internal static IEnumerable<(int Field, ReadOnlyMemory<byte> Value)> Fields(ReadOnlyMemory<byte> message) =>
        AllFields(message).Where(f => f.Value is not null).Select(f => (f.Field, f.Value!.Value));

    /// <summary>The varint fields of a message.</summary>
    internal static IEnumerable<(int Field, ulong Value)> Varints(ReadOnlyMemory<byte> message) =>
        AllFields(message).Where(f => f.Value is null).Select(f => (f.Field, f.Varint));

    private static IEnumerable<(int Field, ReadOnlyMemory<byte>? Value, ulong Varint)> AllFields(ReadOnlyMemory<byte> message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message.Span, ref position);
            var field = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    yield return (field, null, ReadVarint(message.Span, ref position));
                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message.Span, ref position);
                    if (length < 0 || position + length > message.Length)
                    {
                        throw Unsupported("truncated protobuf body");
                    }
                    yield return (field, message.Slice(position, length), 0);
                    position += length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw Unsupported("malformed protobuf body");
            }
        }
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= span.Length)
            {
                throw Unsupported("truncated protobuf body");
            }
            var b = span[position++];
            result |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }
        throw Unsupported("malformed protobuf varint");
    }

    internal static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    internal static ApiException Unsupported(string why) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml ({why})");
}
