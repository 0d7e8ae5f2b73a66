using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Whetstone.LocalCluster.Resources;
using Whetstone.LocalCluster.Security;
using Whetstone.LocalCluster.Security.Rbac;

namespace Whetstone.LocalCluster.Api;

/// <summary>
/// The API calls about identity and access: TokenRequest (<c>serviceaccounts/&lt;name&gt;/token</c>, what the kubelet
/// and <c>kubectl create token</c> call), SelfSubjectAccessReview and SelfSubjectRulesReview (<c>kubectl auth can-i</c>,
/// with <c>--list</c>) and SelfSubjectReview (<c>kubectl auth whoami</c>).
/// </summary>
internal sealed partial class ApiRequestHandler
{
    private const string AuthorizationGroup = "authorization.k8s.io/v1";
    private const string AuthenticationGroup = "authentication.k8s.io/v1";

    private async Task<bool> TryHandleReviewAsync(HttpContext context, string[] segments)
    {
        if (segments is not ["apis", "authorization.k8s.io" or "authentication.k8s.io", "v1", var resource])
        {
            return false;
        }

        if (context.Request.Method != "POST")
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        var user = ApiSecurity.UserOf(context);
        var review = await ReadObjectAsync(context, checkKind: false);
        var spec = review["spec"] as JsonObject ?? [];
        JsonObject status;
        string kind;
        switch ((segments[1], resource))
        {
            case ("authorization.k8s.io", "selfsubjectaccessreviews"):
                (kind, status) = ("SelfSubjectAccessReview", AccessReview(user, spec));
                break;
            case ("authorization.k8s.io", "selfsubjectrulesreviews"):
                (kind, status) = ("SelfSubjectRulesReview", RulesReview(user, spec));
                break;
            case ("authentication.k8s.io", "selfsubjectreviews"):
                kind = "SelfSubjectReview";
                status = new JsonObject { ["userInfo"] = UserInfoObject(user) };
                break;
            default:
                throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }

        await WriteJsonAsync(context, 201, new JsonObject
        {
            ["kind"] = kind,
            ["apiVersion"] = segments[1] + "/v1",
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
            ["spec"] = spec.DeepClone(),
            ["status"] = status,
        });
        return true;
    }

    private JsonObject AccessReview(UserInfo user, JsonObject spec)
    {
        RequestAttributes request;
        if (spec["resourceAttributes"] is JsonObject resource)
        {
            request = new RequestAttributes(true, Text(resource, "verb"), "", Text(resource, "group"), Text(resource, "resource"),
                Text(resource, "subresource"), Text(resource, "namespace"), Text(resource, "name"));
        }
        else if (spec["nonResourceAttributes"] is JsonObject nonResource)
        {
            request = new RequestAttributes(false, Text(nonResource, "verb"), Text(nonResource, "path"));
        }
        else
        {
            throw new ApiException(422, "Invalid",
                "SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified");
        }

        return new JsonObject { ["allowed"] = security.Authorizer.IsAllowed(user, request) };
    }

    private JsonObject RulesReview(UserInfo user, JsonObject spec)
    {
        var resourceRules = new JsonArray();
        var nonResourceRules = new JsonArray();
        foreach (var rule in security.Authorizer.RulesFor(user, Text(spec, "namespace")))
        {
            if (rule["nonResourceURLs"] is JsonArray urls)
            {
                nonResourceRules.Add(new JsonObject { ["verbs"] = rule["verbs"]?.DeepClone(), ["nonResourceURLs"] = urls.DeepClone() });
            }

            if (rule["resources"] is JsonArray resources)
            {
                var copy = new JsonObject { ["verbs"] = rule["verbs"]?.DeepClone(), ["apiGroups"] = rule["apiGroups"]?.DeepClone() ?? new JsonArray(), ["resources"] = resources.DeepClone() };
                if (rule["resourceNames"] is JsonArray names)
                {
                    copy["resourceNames"] = names.DeepClone();
                }

                resourceRules.Add(copy);
            }
        }

        return new JsonObject { ["resourceRules"] = resourceRules, ["nonResourceRules"] = nonResourceRules, ["incomplete"] = false };
    }

    /// <summary>POST serviceaccounts/&lt;name&gt;/token: a TokenRequest, bound to a Pod when its boundObjectRef names one.</summary>
    private async Task HandleTokenRequestAsync(HttpContext context, string ns, string name)
    {
        if (context.Request.Method != "POST")
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        var request = await ReadObjectAsync(context, checkKind: false);
        var account = service.Store.Get(BuiltInResources.ServiceAccounts.StorageKey, ns, name) ?? throw ApiException.NotFound(BuiltInResources.ServiceAccounts, name);
        var spec = request["spec"] as JsonObject ?? [];
        var expiration = spec["expirationSeconds"]?.GetValue<long>();
        if (expiration < ServiceAccountTokens.MinExpirationSeconds)
        {
            throw new ApiException(422, "Invalid",
                $"TokenRequest.authentication.k8s.io \"{name}\" is invalid: spec.expirationSeconds: Invalid value: {expiration}: may not specify a duration less than 10 minutes");
        }

        (string Name, string Uid)? pod = null;
        if (spec["boundObjectRef"] is JsonObject bound)
        {
            pod = BoundPod(ns, name, bound);
        }

        var audiences = (spec["audiences"] as JsonArray ?? []).Select(a => a?.GetValue<string>()).OfType<string>().ToList();
        var (token, expires) = security.Tokens.Issue(ns, account, pod, audiences, expiration);
        var answered = (JsonObject)spec.DeepClone();
        answered["audiences"] = new JsonArray([.. (audiences.Count == 0 ? [ServiceAccountTokens.Issuer] : audiences).Select(a => (JsonNode)a)]);
        answered["expirationSeconds"] = (long)Math.Round((expires - DateTime.UtcNow).TotalSeconds);
        await WriteJsonAsync(context, 201, new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = AuthenticationGroup,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["creationTimestamp"] = null },
            ["spec"] = answered,
            ["status"] = new JsonObject { ["token"] = token, ["expirationTimestamp"] = ServiceAccountTokens.Timestamp(expires) },
        });
    }

    private (string Name, string Uid) BoundPod(string ns, string account, JsonObject bound)
    {
        var kind = Text(bound, "kind");
        if (kind != "Pod")
        {
            throw ApiException.BadRequest($"cannot bind token to object of type {kind}: this server binds tokens to Pods only");
        }

        var podName = Text(bound, "name");
        var pod = service.Store.Get(BuiltInResources.Pods.StorageKey, ns, podName) ?? throw ApiException.NotFound(BuiltInResources.Pods, podName);
        var uid = pod.Object["metadata"]?["uid"]?.GetValue<string>() ?? "";
        if (Text(bound, "uid") is { Length: > 0 } expected && expected != uid)
        {
            throw new ApiException(409, "Conflict",
                $"the UID in the bound object reference ({expected}) does not match the UID in record. The object might have been deleted and then recreated");
        }

        if ((pod.Object["spec"]?["serviceAccountName"]?.GetValue<string>() ?? "default") != account)
        {
            throw ApiException.BadRequest($"cannot bind token for serviceaccount \"{account}\" to pod running with different serviceaccount name.");
        }

        return (podName, uid);
    }

    private static JsonObject UserInfoObject(UserInfo user)
    {
        var info = new JsonObject { ["username"] = user.Name };
        if (user.Uid is not null)
        {
            info["uid"] = user.Uid;
        }

        info["groups"] = new JsonArray([.. user.Groups.Select(g => (JsonNode)g)]);
        return info;
    }

    private static string Text(JsonObject obj, string key) => obj[key]?.GetValue<string>() ?? "";
}

/// <summary>What the request handler needs of the cluster's security: the token issuer and the RBAC authorizer.</summary>
internal sealed record SecurityServices(ServiceAccountTokens Tokens, RbacAuthorizer Authorizer);
