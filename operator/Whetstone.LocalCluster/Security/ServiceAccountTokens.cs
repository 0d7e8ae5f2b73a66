using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Whetstone.LocalCluster.Resources;
using Whetstone.LocalCluster.Storage;

namespace Whetstone.LocalCluster.Security;

/// <summary>
/// ServiceAccount tokens as kube-apiserver issues them through the TokenRequest API: JWTs signed with the cluster's
/// own key (ES256, <c>sa.key</c> in the data directory, so tokens survive a restart), with the issuer, audience,
/// subject and <c>kubernetes.io</c> claims (namespace, ServiceAccount name and uid, and the Pod the token is bound
/// to). A token authenticates only while its ServiceAccount, and its Pod when bound to one, still exist with the
/// uids it names: deleting either revokes it, as on a cluster.
/// </summary>
internal sealed class ServiceAccountTokens
{
    /// <summary>The issuer and default audience (kube-apiserver's default <c>--service-account-issuer</c>).</summary>
    public const string Issuer = "https://kubernetes.default.svc.cluster.local";

    /// <summary>What the kubelet asks for; kube-apiserver extends such a Pod-bound token to a year, so does this server.</summary>
    public const long KubeletExpirationSeconds = 3607;

    /// <summary>The shortest lifetime a TokenRequest may ask for (Kubernetes' validation: 10 minutes).</summary>
    public const long MinExpirationSeconds = 600;

    private const long ExtendedExpirationSeconds = 365L * 24 * 60 * 60;
    private const long DefaultExpirationSeconds = 3600;

    private readonly ECDsaSecurityKey _key;
    private readonly SigningCredentials _signing;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly ObjectStore _store;

    private ServiceAccountTokens(ECDsa key, ObjectStore store)
    {
        _key = new ECDsaSecurityKey(key) { KeyId = KeyIdOf(key) };
        _signing = new SigningCredentials(_key, SecurityAlgorithms.EcdsaSha256);
        _store = store;
    }

    /// <summary>Loads the signing key from <c>sa.key</c> in <paramref name="directory"/>, creating it on first start.</summary>
    public static ServiceAccountTokens LoadOrCreate(string directory, ObjectStore store)
    {
        var path = Path.Combine(directory, "sa.key");
        var key = ECDsa.Create();
        if (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            key.GenerateKey(ECCurve.NamedCurves.nistP256);
            ClusterCertificates.WriteSecret(path, key.ExportPkcs8PrivateKeyPem());
        }

        return new ServiceAccountTokens(key, store);
    }

    /// <summary>
    /// Issues a token for ServiceAccount <paramref name="ns"/>/<paramref name="account"/>, bound to
    /// <paramref name="pod"/> when given. Returns the token and when it expires.
    /// </summary>
    public (string Token, DateTime Expires) Issue(
        string ns, StoredObject account, (string Name, string Uid)? pod, IReadOnlyList<string> audiences, long? expirationSeconds)
    {
        var now = DateTime.UtcNow;
        var seconds = expirationSeconds ?? DefaultExpirationSeconds;
        if (pod is not null && seconds == KubeletExpirationSeconds)
        {
            seconds = ExtendedExpirationSeconds;
        }

        var issued = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        var expires = issued.AddSeconds(seconds);
        var claims = new JsonObject
        {
            ["namespace"] = ns,
            ["serviceaccount"] = new JsonObject { ["name"] = account.Name, ["uid"] = Uid(account.Object) },
        };
        if (pod is { } bound)
        {
            claims["pod"] = new JsonObject { ["name"] = bound.Name, ["uid"] = bound.Uid };
        }

        var payload = new JsonObject
        {
            ["aud"] = new JsonArray([.. (audiences.Count == 0 ? [Issuer] : audiences).Select(a => (JsonNode)a)]),
            ["exp"] = Seconds(expires),
            ["iat"] = Seconds(issued),
            ["iss"] = Issuer,
            ["jti"] = Guid.NewGuid().ToString(),
            ["kubernetes.io"] = claims,
            ["nbf"] = Seconds(issued),
            ["sub"] = UserInfo.ServiceAccountUserName(ns, account.Name),
        };
        return (_handler.CreateToken(payload.ToJsonString(), _signing), expires);
    }

    /// <summary>
    /// The ServiceAccount user a token authenticates as, or null when it is not one of this cluster's tokens, has
    /// expired, is meant for another audience, or names a ServiceAccount or Pod that no longer exists.
    /// </summary>
    public async Task<UserInfo?> AuthenticateAsync(string token)
    {
        if (!_handler.CanReadToken(token))
        {
            return null;
        }

        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Issuer,
            IssuerSigningKey = _key,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ClockSkew = TimeSpan.FromSeconds(5),
        }).ConfigureAwait(false);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return null;
        }

        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload));
        var claims = payload?["kubernetes.io"];
        var ns = claims?["namespace"]?.GetValue<string>();
        var name = claims?["serviceaccount"]?["name"]?.GetValue<string>();
        var uid = claims?["serviceaccount"]?["uid"]?.GetValue<string>();
        if (ns is null || name is null || uid is null || payload?["sub"]?.GetValue<string>() != UserInfo.ServiceAccountUserName(ns, name))
        {
            return null;
        }

        if (_store.Get(BuiltInResources.ServiceAccounts.StorageKey, ns, name) is not { } account || Uid(account.Object) != uid)
        {
            return null;
        }

        if (claims?["pod"] is { } pod)
        {
            var podName = pod["name"]?.GetValue<string>() ?? "";
            var stored = _store.Get(BuiltInResources.Pods.StorageKey, ns, podName);
            if (stored is null || Uid(stored.Object) != pod["uid"]?.GetValue<string>())
            {
                return null;
            }
        }

        return UserInfo.ServiceAccount(ns, name, uid);
    }

    private static string? Uid(JsonObject obj) => obj["metadata"]?["uid"]?.GetValue<string>();

    private static long Seconds(DateTime time) => new DateTimeOffset(time).ToUnixTimeSeconds();

    // As kube-apiserver names its keys: the unpadded base64url SHA-256 of the public key's DER encoding.
    private static string KeyIdOf(ECDsa key) =>
        Base64UrlEncoder.Encode(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    /// <summary>The expiry as the TokenRequest status writes it.</summary>
    public static string Timestamp(DateTime time) => time.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
