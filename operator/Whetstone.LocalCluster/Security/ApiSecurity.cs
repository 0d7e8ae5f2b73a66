using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Whetstone.LocalCluster.Api;
using Whetstone.LocalCluster.Security.Rbac;

namespace Whetstone.LocalCluster.Security;

/// <summary>
/// Authentication and authorization of every request, before routing, as kube-apiserver orders them. A bearer token
/// is the administrator's (the kubeconfig's token: user <c>whetstone-admin</c> in <c>system:masters</c>) or a
/// ServiceAccount token this server issued (<see cref="ServiceAccountTokens"/>); any other token, or none on a path
/// other than the public health and version ones, gets 401. The user is then authorized by RBAC
/// (<see cref="RbacAuthorizer"/>); a refusal is 403 with the Status body and message kube-apiserver writes.
/// </summary>
internal sealed class ApiSecurity(string adminToken, ServiceAccountTokens serviceAccounts, RbacAuthorizer authorizer)
{
    private const string BearerPrefix = "Bearer ";
    private static readonly object UserKey = new();
    private readonly byte[] _admin = Encoding.UTF8.GetBytes(adminToken);

    /// <summary>Reads the administrator's token from <c>token</c> in <paramref name="directory"/>, creating it on first start.</summary>
    public static string LoadOrCreateToken(string directory)
    {
        var path = Path.Combine(directory, "token");
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        ClusterCertificates.WriteSecret(path, token);
        return token;
    }

    /// <summary>The user the request was authenticated as (set before the request handler runs).</summary>
    public static UserInfo UserOf(HttpContext context) =>
        context?.Items[UserKey] as UserInfo ?? UserInfo.Anonymous;

    /// <summary>Paths anyone may read without credentials.</summary>
    public static bool IsPublic(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/livez") || path.Equals("/version");

    /// <summary>The middleware.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var user = await AuthenticateAsync(context.Request.Headers.Authorization.ToString());
        if (user is null || (user == UserInfo.Anonymous && !IsPublic(context.Request.Path)))
        {
            await ApiRequestHandler.WriteJsonAsync(context, 401, StatusObjects.Failure(401, "Unauthorized", "Unauthorized"));
            return;
        }

        context.Items[UserKey] = user;
        if (user != UserInfo.Anonymous)
        {
            var request = RequestAttributes.From(context.Request);
            if (!authorizer.IsAllowed(user, request))
            {
                await ApiRequestHandler.WriteJsonAsync(context, 403, Forbidden(user, request));
                return;
            }
        }

        await next(context);
    }

    /// <summary>The user a request's Authorization header authenticates; Anonymous without one; null for a token nobody issued.</summary>
    public async Task<UserInfo?> AuthenticateAsync(string header)
    {
        if (header.Length == 0)
        {
            return UserInfo.Anonymous;
        }

        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header[BearerPrefix.Length..].Trim();
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), _admin))
        {
            return UserInfo.Admin;
        }

        return await serviceAccounts.AuthenticateAsync(token);
    }

    /// <summary>kube-apiserver's 403 Status for a refused request.</summary>
    public static JsonObject Forbidden(UserInfo user, RequestAttributes request)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        var reason = ForbiddenReason(user, request);
        if (!request.IsResourceRequest)
        {
            return StatusObjects.Failure(403, "Forbidden", "forbidden: " + reason, new JsonObject());
        }

        var qualified = request.ApiGroup.Length == 0 ? request.Resource : request.Resource + "." + request.ApiGroup;
        var details = new JsonObject();
        if (request.Name.Length > 0)
        {
            details["name"] = request.Name;
        }

        if (request.ApiGroup.Length > 0)
        {
            details["group"] = request.ApiGroup;
        }

        details["kind"] = request.Resource;
        var message = request.Name.Length > 0 ? $"{qualified} \"{request.Name}\" is forbidden: {reason}" : $"{qualified} is forbidden: {reason}";
        return StatusObjects.Failure(403, "Forbidden", message, details);
    }

    /// <summary>
    /// kube-apiserver's wording: <c>User "u" cannot patch resource "finetunejobs/status" in API group "whetstone.dev" in
    /// the namespace "default"</c> (or <c>at the cluster scope</c>, or <c>cannot get path "/x"</c>).
    /// </summary>
    public static string ForbiddenReason(UserInfo user, RequestAttributes request)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        if (!request.IsResourceRequest)
        {
            return $"User \"{user.Name}\" cannot {request.Verb} path \"{request.Path}\"";
        }

        var scope = request.Namespace.Length > 0 ? $"in the namespace \"{request.Namespace}\"" : "at the cluster scope";
        return $"User \"{user.Name}\" cannot {request.Verb} resource \"{request.CombinedResource}\" in API group \"{request.ApiGroup}\" {scope}";
    }
}
