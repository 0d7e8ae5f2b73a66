namespace Whetstone.Api;

/// <summary>The API group and version that every Whetstone kind belongs to.</summary>
public static class WhetstoneApi
{
    /// <summary>The API group: <c>whetstone.dev</c>.</summary>
    public const string Group = "whetstone.dev";

    /// <summary>The only served and stored version: <c>v1alpha1</c>.</summary>
    public const string Version = "v1alpha1";

    /// <summary>The <c>apiVersion</c> field value: <c>whetstone.dev/v1alpha1</c>.</summary>
    public const string GroupVersion = Group + "/" + Version;

    /// <summary>The category every kind is listed in, so <c>kubectl get whetstone</c> shows them all.</summary>
    public const string Category = "whetstone";
}
