using System.Text;

namespace Whetstone.LocalCluster;

/// <summary>Writes the kubeconfig clients use: one cluster (server URL, CA data), one token user, one context.</summary>
internal static class KubeconfigWriter
{
    public const string ContextName = "whetstone-local";

    public static void Write(string path, Uri server, string caPem, string token) =>
        Security.ClusterCertificates.WriteSecret(path, Render(server, caPem, token, "default"));

    /// <summary>The kubeconfig's text: <paramref name="token"/> against <paramref name="server"/>, in namespace <paramref name="ns"/>.</summary>
    public static string Render(Uri server, string caPem, string token, string ns)
    {
        var ca = Convert.ToBase64String(Encoding.UTF8.GetBytes(caPem));
        var yaml = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {ContextName}
              cluster:
                server: {server.AbsoluteUri.TrimEnd('/')}
                certificate-authority-data: {ca}
            users:
            - name: {ContextName}
              user:
                token: {token}
            contexts:
            - name: {ContextName}
              context:
                cluster: {ContextName}
                user: {ContextName}
                namespace: {ns}
            current-context: {ContextName}
            preferences: {"{}"}

            """;
        return yaml;
    }
}
