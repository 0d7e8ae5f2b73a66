using System.Text.Json.Nodes;

namespace Whetstone.LocalCluster.Security.Rbac;

/// <summary>
/// The ClusterRoles and ClusterRoleBindings every cluster starts with, as kube-apiserver's RBAC bootstrap creates
/// them (the subset that matters here): <c>cluster-admin</c> bound to <c>system:masters</c>; discovery, health,
/// version and OpenAPI paths for every authenticated user (<c>system:discovery</c>); the self reviews
/// (<c>kubectl auth can-i</c>, <c>kubectl auth whoami</c>) for every authenticated user (<c>system:basic-user</c>);
/// health and version for everyone (<c>system:public-info-viewer</c>). Installed when missing at every start.
/// </summary>
internal static class BootstrapPolicy
{
    /// <summary>The bootstrap ClusterRoles.</summary>
    public static IReadOnlyList<JsonObject> ClusterRoles() =>
    [
        Role("cluster-admin",
            Rule(["*"], apiGroups: ["*"], resources: ["*"]),
            Rule(["*"], nonResourceUrls: ["*"])),
        Role("system:discovery",
            Rule(["get"], nonResourceUrls: ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"])),
        Role("system:basic-user",
            Rule(["create"], apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
            Rule(["create"], apiGroups: ["authentication.k8s.io"], resources: ["selfsubjectreviews"])),
        Role("system:public-info-viewer",
            Rule(["get"], nonResourceUrls: ["/healthz", "/livez", "/readyz", "/version", "/version/"])),
    ];

    /// <summary>The bootstrap ClusterRoleBindings.</summary>
    public static IReadOnlyList<JsonObject> ClusterRoleBindings() =>
    [
        Binding("cluster-admin", UserInfo.MastersGroup),
        Binding("system:discovery", UserInfo.AuthenticatedGroup),
        Binding("system:basic-user", UserInfo.AuthenticatedGroup),
        Binding("system:public-info-viewer", UserInfo.AuthenticatedGroup, UserInfo.UnauthenticatedGroup),
    ];

    private static JsonObject Metadata(string name) => new()
    {
        ["name"] = name,
        ["labels"] = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" },
        ["annotations"] = new JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" },
    };

    private static JsonObject Role(string name, params JsonObject[] rules) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRole",
        ["metadata"] = Metadata(name),
        ["rules"] = new JsonArray([.. rules]),
    };

    private static JsonObject Rule(string[] verbs, string[]? apiGroups = null, string[]? resources = null, string[]? nonResourceUrls = null)
    {
        var rule = new JsonObject { ["verbs"] = Array(verbs) };
        if (apiGroups is not null)
        {
            rule["apiGroups"] = Array(apiGroups);
        }

        if (resources is not null)
        {
            rule["resources"] = Array(resources);
        }

        if (nonResourceUrls is not null)
        {
            rule["nonResourceURLs"] = Array(nonResourceUrls);
        }

        return rule;
    }

    private static JsonObject Binding(string name, params string[] groups) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRoleBinding",
        ["metadata"] = Metadata(name),
        ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = name },
        ["subjects"] = new JsonArray([.. groups.Select(g => (JsonNode)new JsonObject
        {
            ["apiGroup"] = "rbac.authorization.k8s.io",
            ["kind"] = "Group",
            ["name"] = g,
        })]),
    };

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);
}
