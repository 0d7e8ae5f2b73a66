namespace Whetstone.LocalCluster.Security;

/// <summary>Who a request is from, as Kubernetes' authenticators report it: a user name and its groups.</summary>
internal sealed record UserInfo(string Name, IReadOnlyList<string> Groups, string? Uid = null)
{
    /// <summary>The group whose members may do everything (kube-apiserver's privileged group).</summary>
    public const string MastersGroup = "system:masters";

    /// <summary>Every authenticated user is in this group.</summary>
    public const string AuthenticatedGroup = "system:authenticated";

    /// <summary>The group of a request without credentials.</summary>
    public const string UnauthenticatedGroup = "system:unauthenticated";

    /// <summary>The user name of the embedded cluster's administrator (the token of <c>whetstone up</c>'s kubeconfig).</summary>
    public const string AdminName = "whetstone-admin";

    /// <summary>The prefix of a ServiceAccount's user name: <c>system:serviceaccount:&lt;namespace&gt;:&lt;name&gt;</c>.</summary>
    public const string ServiceAccountPrefix = "system:serviceaccount:";

    /// <summary>The administrator: a member of <c>system:masters</c>.</summary>
    public static UserInfo Admin { get; } = new(AdminName, [MastersGroup, AuthenticatedGroup]);

    /// <summary>A request without credentials (allowed only on the public health and version paths).</summary>
    public static UserInfo Anonymous { get; } = new("system:anonymous", [UnauthenticatedGroup]);

    /// <summary>The user a ServiceAccount's token authenticates as, with the groups Kubernetes gives it.</summary>
    public static UserInfo ServiceAccount(string ns, string name, string? uid) =>
        new(ServiceAccountUserName(ns, name), ["system:serviceaccounts", "system:serviceaccounts:" + ns, AuthenticatedGroup], uid);

    /// <summary><c>system:serviceaccount:&lt;namespace&gt;:&lt;name&gt;</c>.</summary>
    public static string ServiceAccountUserName(string ns, string name) => ServiceAccountPrefix + ns + ":" + name;
}
