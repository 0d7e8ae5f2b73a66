namespace Whetstone.LocalCluster.Gateway;

/// <summary>The bundled HTTPRoute CustomResourceDefinition and the names the gateway uses for it.</summary>
public static class HttpRouteCrd
{
    /// <summary>The Gateway API group.</summary>
    public const string Group = "gateway.networking.k8s.io";

    /// <summary>The served version.</summary>
    public const string Version = "v1";

    /// <summary>The plural resource name.</summary>
    public const string Plural = "httproutes";

    /// <summary>The CRD manifest (YAML), as embedded in this assembly.</summary>
    public static string ReadYaml()
    {
        using var stream = typeof(HttpRouteCrd).Assembly.GetManifestResourceStream("httproutes.gateway.networking.k8s.io.yaml")
            ?? throw new InvalidOperationException("the HTTPRoute CRD is not embedded in this assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
