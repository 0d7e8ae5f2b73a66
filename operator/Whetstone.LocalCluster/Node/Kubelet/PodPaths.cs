namespace Whetstone.LocalCluster.Node.Kubelet;

/// <summary>
/// Where a Pod's files live under the cluster data directory. The log path is the convention the API server
/// reads <c>kubectl logs</c> from: <c>pods/&lt;namespace&gt;/&lt;name&gt;/&lt;container&gt;.log</c>.
/// </summary>
public sealed record PodPaths(string DataDirectory, string Namespace, string Name)
{
    /// <summary>The Pod's own directory.</summary>
    public string PodDirectory => PodLogPaths.PodDirectory(DataDirectory, Namespace, Name);

    /// <summary>The working directory every container of the Pod starts in (stands in for its volumes).</summary>
    public string WorkDirectory => Path.Combine(PodDirectory, "work");

    /// <summary>
    /// The Pod's ServiceAccount credentials, laid out as a projected <c>kube-api-access</c> volume is
    /// (<c>token</c>, <c>ca.crt</c>, <c>namespace</c>); the kubelet writes them before each container start.
    /// </summary>
    public string ServiceAccountDirectory => Path.Combine(PodDirectory, "serviceaccount");

    /// <summary>The kubeconfig with the Pod's ServiceAccount token, what <c>KUBECONFIG</c> points the containers at.</summary>
    public string Kubeconfig => Path.Combine(PodDirectory, "kubeconfig");

    /// <summary>Records which Pod UID the directory belongs to, so a new Pod with the same name starts clean.</summary>
    public string UidFile => Path.Combine(PodDirectory, ".uid");

    /// <summary>The log file of one container (stdout and stderr, appended across restarts).</summary>
    public string LogFile(string container) => PodLogPaths.ContainerLog(DataDirectory, Namespace, Name, container);

    /// <summary>Where a container's terminationMessagePath (default /dev/termination-log) is mapped to.</summary>
    public string TerminationMessageFile(string container) => Path.Combine(PodDirectory, "termination", container);

    /// <summary>Directory standing in for an emptyDir (or any other) volume of the Pod.</summary>
    public string VolumeDirectory(string volume) => Path.Combine(WorkDirectory, volume);
}
