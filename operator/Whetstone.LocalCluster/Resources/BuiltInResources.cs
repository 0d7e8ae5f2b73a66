namespace Whetstone.LocalCluster.Resources;

/// <summary>The built-in kinds this server serves (core v1 and a few named groups).</summary>
internal static class BuiltInResources
{
    public static readonly ResourceType Namespaces = Core("namespaces", "Namespace", namespaced: false, shortNames: ["ns"], hasStatus: true);
    public static readonly ResourceType Pods = Core("pods", "Pod", shortNames: ["po"], categories: ["all"], hasStatus: true, tracksGeneration: true);
    public static readonly ResourceType Services = Core("services", "Service", shortNames: ["svc"], categories: ["all"], hasStatus: true);
    public static readonly ResourceType ConfigMaps = Core("configmaps", "ConfigMap", shortNames: ["cm"]);
    public static readonly ResourceType Secrets = Core("secrets", "Secret");
    public static readonly ResourceType ServiceAccounts = Core("serviceaccounts", "ServiceAccount", shortNames: ["sa"]);
    public static readonly ResourceType Events = Core("events", "Event", shortNames: ["ev"]);
    public static readonly ResourceType Nodes = Core("nodes", "Node", namespaced: false, shortNames: ["no"], hasStatus: true);
    public static readonly ResourceType Endpoints = Core("endpoints", "Endpoints", shortNames: ["ep"]);

    public static readonly ResourceType EndpointSlices = Core("endpointslices", "EndpointSlice") with { Group = "discovery.k8s.io" };

    // Pods are owned directly by their Deployment (no ReplicaSets); see the LocalCluster README.
    public static readonly ResourceType Deployments =
        Core("deployments", "Deployment", shortNames: ["deploy"], categories: ["all"], hasStatus: true, tracksGeneration: true) with { Group = "apps" };

    public static readonly ResourceType EventsV1 = Core("events", "Event", shortNames: ["ev"]) with { Group = "events.k8s.io" };
    public static readonly ResourceType Leases = Core("leases", "Lease") with { Group = "coordination.k8s.io" };

    // RBAC, enforced on every request (Security/Rbac/RbacAuthorizer).
    public static readonly ResourceType Roles = Core("roles", "Role") with { Group = "rbac.authorization.k8s.io" };
    public static readonly ResourceType RoleBindings = Core("rolebindings", "RoleBinding") with { Group = "rbac.authorization.k8s.io" };
    public static readonly ResourceType ClusterRoles = Core("clusterroles", "ClusterRole", namespaced: false) with { Group = "rbac.authorization.k8s.io" };
    public static readonly ResourceType ClusterRoleBindings =
        Core("clusterrolebindings", "ClusterRoleBinding", namespaced: false) with { Group = "rbac.authorization.k8s.io" };

    public static readonly ResourceType CustomResourceDefinitions = new()
    {
        Group = "apiextensions.k8s.io",
        Version = "v1",
        Resource = "customresourcedefinitions",
        Kind = "CustomResourceDefinition",
        Singular = "customresourcedefinition",
        Namespaced = false,
        ShortNames = ["crd", "crds"],
        HasStatus = true,
        TracksGeneration = true,
        SupportsStrategicMerge = false,
    };

    public static IReadOnlyList<ResourceType> All { get; } =
        [
            Namespaces, Pods, Services, ConfigMaps, Secrets, ServiceAccounts, Events, Nodes, Endpoints, EventsV1, EndpointSlices, Deployments,
            Leases, Roles, RoleBindings, ClusterRoles, ClusterRoleBindings, CustomResourceDefinitions,
        ];

    private static ResourceType Core(string resource, string kind, bool namespaced = true, string[]? shortNames = null,
        string[]? categories = null, bool hasStatus = false, bool tracksGeneration = false) => new()
        {
            Group = "",
            Version = "v1",
            Resource = resource,
            Kind = kind,
            Singular = kind.ToLowerInvariant(),
            Namespaced = namespaced,
            ShortNames = shortNames ?? [],
            Categories = categories ?? [],
            HasStatus = hasStatus,
            TracksGeneration = tracksGeneration,
        };
}
