using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Whetstone.Serving.Feedback;

/// <summary>
/// Request ids that carry who served them: <c>ws1.&lt;track&gt;.&lt;version&gt;.&lt;rollout&gt;.&lt;random&gt;[.&lt;signature&gt;]</c>,
/// each part base64url. Feedback can then be credited to the serving track on any replica, with no shared store.
/// With a key, the id is signed (HMAC-SHA256 over the parts) and ids that were not issued with it are refused.
/// </summary>
public sealed class RequestIdCodec(string? key)
{
    private const string Prefix = "ws1";
    private readonly byte[]? _secret = key is null ? null : Encoding.UTF8.GetBytes(key);

    /// <summary>A fresh id for a request served by <paramref name="identity"/>.</summary>
    public string Create(ServingIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var body = string.Join('.', Prefix, Encode(identity.Track), Encode(identity.Version), Encode(identity.Rollout),
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12)));
        return _secret is null ? body : body + "." + Sign(body);
    }

    /// <summary>Who served the request with <paramref name="requestId"/>, or why the id is not one of ours.</summary>
    public RequestIdParse Parse(string? requestId)
    {
        if (string.IsNullOrWhiteSpace(requestId))
        {
            return RequestIdParse.Invalid("requestId: required");
        }
        var parts = requestId.Split('.');
        if (parts.Length is not (5 or 6) || parts[0] != Prefix)
        {
            return RequestIdParse.Invalid($"requestId: '{Shorten(requestId)}' is not a request id issued by a Whetstone server (expected {Prefix}.<track>.<version>.<rollout>.<random>[.<signature>])");
        }
        if (_secret is not null)
        {
            var body = string.Join('.', parts[..5]);
            if (parts.Length != 6 || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[5]), Encoding.ASCII.GetBytes(Sign(body))))
            {
                return RequestIdParse.Invalid("requestId: the signature does not match this rollout's feedback key");
            }
        }
        try
        {
            return RequestIdParse.Valid(new ServingIdentity(Decode(parts[3]), Decode(parts[1]), Decode(parts[2])));
        }
        catch (FormatException)
        {
            return RequestIdParse.Invalid($"requestId: '{Shorten(requestId)}' has parts that are not base64url");
        }
    }

    private string Sign(string body) => Base64Url.EncodeToString(HMACSHA256.HashData(_secret!, Encoding.UTF8.GetBytes(body)));

    private static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    private static string Decode(string part) => Encoding.UTF8.GetString(Base64Url.DecodeFromChars(part));

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
