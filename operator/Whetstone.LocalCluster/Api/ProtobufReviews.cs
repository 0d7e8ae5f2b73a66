using System.Text.Json.Nodes;

namespace Whetstone.LocalCluster.Api;

/// <summary>
/// The protobuf forms of the identity and access requests kubectl sends through its typed client: TokenRequest
/// (authentication.k8s.io/v1: spec audiences 1, boundObjectRef 3 with kind/apiVersion/name/uid 1–4,
/// expirationSeconds 4), SelfSubjectAccessReview (authorization.k8s.io/v1: spec resourceAttributes 1 with namespace,
/// verb, group, version, resource, subresource, name 1–7; nonResourceAttributes 2 with path 1, verb 2),
/// SelfSubjectRulesReview (spec namespace 1) and SelfSubjectReview (no spec). Field numbers as in Kubernetes'
/// generated.proto.
/// </summary>
internal static class ProtobufReviews
{
    private static readonly string[] ResourceAttributeNames = ["namespace", "verb", "group", "version", "resource", "subresource", "name"];

    /// <summary>Fills <paramref name="obj"/> from <paramref name="raw"/> when <paramref name="kind"/> is one of these; false otherwise.</summary>
    public static bool Decode(string kind, ReadOnlyMemory<byte> raw, JsonObject obj)
    {
        if (kind is not ("TokenRequest" or "SelfSubjectAccessReview" or "SelfSubjectRulesReview" or "SelfSubjectReview"))
        {
            return false;
        }

        var spec = new JsonObject();
        obj["metadata"] = new JsonObject();
        foreach (var (field, value) in ProtobufBodyDecoder.Fields(raw))
        {
            if (field != 2 || kind == "SelfSubjectReview")
            {
                continue;
            }

            switch (kind)
            {
                case "TokenRequest":
                    TokenRequestSpec(value, spec);
                    break;
                case "SelfSubjectAccessReview":
                    AccessReviewSpec(value, spec);
                    break;
                default:
                    Strings(value, spec, ["namespace"]);
                    break;
            }
        }

        obj["spec"] = spec;
        return true;
    }

    private static void TokenRequestSpec(ReadOnlyMemory<byte> bytes, JsonObject spec)
    {
        var audiences = new JsonArray();
        foreach (var (field, value) in ProtobufBodyDecoder.Fields(bytes))
        {
            if (field == 1)
            {
                audiences.Add(ProtobufBodyDecoder.Text(value));
            }
            else if (field == 3)
            {
                var bound = new JsonObject();
                Strings(value, bound, ["kind", "apiVersion", "name", "uid"]);
                spec["boundObjectRef"] = bound;
            }
        }

        spec["audiences"] = audiences;
        foreach (var (field, value) in ProtobufBodyDecoder.Varints(bytes))
        {
            if (field == 4)
            {
                spec["expirationSeconds"] = (long)value;
            }
        }
    }

    private static void AccessReviewSpec(ReadOnlyMemory<byte> bytes, JsonObject spec)
    {
        foreach (var (field, value) in ProtobufBodyDecoder.Fields(bytes))
        {
            var attributes = new JsonObject();
            if (field == 1)
            {
                Strings(value, attributes, ResourceAttributeNames);
                spec["resourceAttributes"] = attributes;
            }
            else if (field == 2)
            {
                Strings(value, attributes, ["path", "verb"]);
                spec["nonResourceAttributes"] = attributes;
            }
        }
    }

    // Fields 1..n of a message, all strings, named in order.
    private static void Strings(ReadOnlyMemory<byte> bytes, JsonObject target, string[] names)
    {
        foreach (var (field, value) in ProtobufBodyDecoder.Fields(bytes))
        {
            if (field >= 1 && field <= names.Length && value.Length > 0)
            {
                target[names[field - 1]] = ProtobufBodyDecoder.Text(value);
            }
        }
    }
}
