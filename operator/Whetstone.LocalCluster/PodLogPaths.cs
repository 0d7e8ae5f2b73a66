namespace Whetstone.LocalCluster;

/// <summary>
/// Where container logs live, shared by the local node (which writes them) and the API server (which serves
/// <c>kubectl logs</c> from them): <c>&lt;dataDirectory&gt;/pods/&lt;namespace&gt;/&lt;pod&gt;/&lt;container&gt;.log</c>.
/// The file holds the container's stdout and stderr as written, one line per line; the server tails it
/// for <c>follow=true</c> until the pod reaches Succeeded or Failed or is deleted.
/// </summary>
public static class PodLogPaths
{
    /// <summary>The folder holding every container log of one pod.</summary>
    public static string PodDirectory(string dataDirectory, string podNamespace, string podName) =>
        Path.Combine(dataDirectory, "pods", podNamespace, podName);

    /// <summary>The log file of one container.</summary>
    public static string ContainerLog(string dataDirectory, string podNamespace, string podName, string containerName) =>
        Path.Combine(PodDirectory(dataDirectory, podNamespace, podName), containerName + ".log");
}
