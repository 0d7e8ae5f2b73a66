using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Resources;
using Whetstone.LocalCluster.Storage;

namespace Whetstone.LocalCluster.Security.Rbac;

/// <summary>
/// Kubernetes RBAC over the stored Roles, ClusterRoles, RoleBindings and ClusterRoleBindings
/// (rbac.authorization.k8s.io/v1): a request is allowed when a binding whose subjects include the user grants a rule
/// matching it. Members of <c>system:masters</c> are allowed everything. Rules match on verbs, apiGroups, resources
/// (with <c>resource/subresource</c> and <c>*/subresource</c>), resourceNames and nonResourceURLs (exact, or a
/// prefix ending in <c>*</c>), with <c>*</c> wildcards. ClusterRoleBindings grant everywhere; a RoleBinding grants its
/// Role's or ClusterRole's rules in its own namespace only. Nothing is cached: the stored objects are read from the
/// in-memory copy on every decision, so a change applies to the next request.
/// </summary>
internal sealed class RbacAuthorizer(ObjectStore store)
{
    /// <summary>Whether <paramref name="user"/> may do what <paramref name="request"/> asks.</summary>
    public bool IsAllowed(UserInfo user, RequestAttributes request)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        return user.Groups.Contains(UserInfo.MastersGroup) || RulesFor(user, request.Namespace).Any(rule => Matches(rule, request));
    }

    /// <summary>The rules that apply to <paramref name="user"/> in <paramref name="ns"/> (cluster-wide rules when empty).</summary>
    public IEnumerable<JsonObject> RulesFor(UserInfo user, string ns)
    {
        ArgumentNullException.ThrowIfNull(user);
        foreach (var binding in List(BuiltInResources.ClusterRoleBindings, ""))
        {
            if (AppliesTo(binding, user, "") && RoleRules(binding, "") is { } rules)
            {
                foreach (var rule in rules)
                {
                    yield return rule;
                }
            }
        }

        if (ns.Length == 0)
        {
            yield break;
        }

        foreach (var binding in List(BuiltInResources.RoleBindings, ns))
        {
            if (AppliesTo(binding, user, ns) && RoleRules(binding, ns) is { } rules)
            {
                foreach (var rule in rules)
                {
                    yield return rule;
                }
            }
        }
    }

    /// <summary>Whether one PolicyRule allows the request.</summary>
    public static bool Matches(JsonObject rule, RequestAttributes request)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(request);
        if (!Contains(rule["verbs"], request.Verb))
        {
            return false;
        }

        if (!request.IsResourceRequest)
        {
            return Strings(rule["nonResourceURLs"]).Any(url => url == "*" || url == request.Path
                || (url.EndsWith('*') && request.Path.StartsWith(url[..^1], StringComparison.Ordinal)));
        }

        if (!Contains(rule["apiGroups"], request.ApiGroup))
        {
            return false;
        }

        var combined = request.CombinedResource;
        var resourceMatches = Strings(rule["resources"]).Any(r => r == "*" || r == combined
            || (request.Subresource.Length > 0 && r == "*/" + request.Subresource));
        if (!resourceMatches)
        {
            return false;
        }

        var names = Strings(rule["resourceNames"]).ToList();
        return names.Count == 0 || names.Contains(request.Name, StringComparer.Ordinal);
    }

    private IEnumerable<JsonObject> List(ResourceType type, string ns) =>
        store.List(type.StorageKey, ns.Length == 0 ? null : ns, null, _ => true, int.MaxValue).Items.Select(item => item.Object);

    private IEnumerable<JsonObject>? RoleRules(JsonObject binding, string ns)
    {
        var roleRef = binding["roleRef"];
        var name = roleRef?["name"]?.GetValue<string>() ?? "";
        var role = roleRef?["kind"]?.GetValue<string>() switch
        {
            "ClusterRole" => store.Get(BuiltInResources.ClusterRoles.StorageKey, "", name),
            "Role" when ns.Length > 0 => store.Get(BuiltInResources.Roles.StorageKey, ns, name),
            _ => null,
        };
        return (role?.Object["rules"] as JsonArray)?.OfType<JsonObject>();
    }

    private static bool AppliesTo(JsonObject binding, UserInfo user, string bindingNamespace)
    {
        foreach (var subject in (binding["subjects"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = subject["name"]?.GetValue<string>() ?? "";
            var applies = subject["kind"]?.GetValue<string>() switch
            {
                "User" => user.Name == name,
                "Group" => user.Groups.Contains(name),
                "ServiceAccount" => user.Name == UserInfo.ServiceAccountUserName(
                    subject["namespace"]?.GetValue<string>() is { Length: > 0 } saNamespace ? saNamespace : bindingNamespace, name),
                _ => false,
            };
            if (applies)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Contains(JsonNode? list, string value) => Strings(list).Any(v => v == "*" || v == value);

    private static IEnumerable<string> Strings(JsonNode? list) =>
        (list as JsonArray ?? []).Select(v => v?.GetValue<string>()).OfType<string>();
}
