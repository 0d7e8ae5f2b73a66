using k8s.Models;

namespace Whetstone.LocalCluster.Tests.Node;

/// <summary>
/// Pods running a real HTTP server (Python's http.server) bound to the Pod's own address on port 8080. Each
/// serves <c>/whoami</c> (its name), <c>/metrics</c> (one Prometheus sample, <c>demo_requests_total 7</c>) and
/// <c>/ready</c>, its readiness probe's path: deleting that file from the
/// Pod's work directory makes the Pod unready within about a second.
/// </summary>
internal static class HttpServerPods
{
    public const int Port = 8080;

    public const string Script =
        "mkdir -p www && echo \"$HOSTNAME\" > www/whoami && echo 'demo_requests_total 7' > www/metrics && touch www/ready && exec python3 -m http.server --bind \"$POD_IP\" 8080 --directory www";

    public static V1PodSpec Spec() => new()
    {
        RestartPolicy = "Always",
        TerminationGracePeriodSeconds = 2,
        Containers =
        [
            new V1Container
            {
                Name = "web",
                Image = "busybox",
                Command = ["/bin/sh", "-c", Script],
                Ports = [new V1ContainerPort { Name = "http", ContainerPort = Port }],
                Env = [new V1EnvVar { Name = "POD_IP", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.podIP" } } }],
                ReadinessProbe = new V1Probe
                {
                    HttpGet = new V1HTTPGetAction { Path = "/ready", Port = Port },
                    PeriodSeconds = 1,
                    FailureThreshold = 1,
                },
            },
        ],
    };

    public static V1Pod Pod(string name, string app) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = Spec(),
    };

    /// <summary>Makes the Pod's readiness probe fail from now on.</summary>
    public static void MakeUnready(string dataDirectory, string ns, string pod) =>
        File.Delete(Path.Combine(dataDirectory, "pods", ns, pod, "work", "www", "ready"));

    public static bool IsReady(V1Pod pod) => pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>An HTTP client that never goes through a proxy from the environment.</summary>
    public static HttpClient Client() => new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Who answered each of <paramref name="count"/> GET /whoami requests to <paramref name="address"/>.</summary>
    public static async Task<List<string>> AskWhoAsync(HttpClient http, string address, int count)
    {
        var answers = new List<string>();
        for (var i = 0; i < count; i++)
        {
            answers.Add((await http.GetStringAsync(new Uri($"http://{address}/whoami"))).Trim());
        }

        return answers;
    }
}
