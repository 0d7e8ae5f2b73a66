namespace Whetstone.Chart.Tests.Rendering;

/// <summary>The non-default values the tests render with, as a user would write them.</summary>
internal static class ChartValues
{
    /// <summary>One namespace, one replica, workers on a shared account.</summary>
    public const string Namespaced = """
        watchNamespace: team-a
        replicas: 1
        worker:
          perJobServiceAccounts: false
        """;

    /// <summary>Cluster-wide with a shared worker account in two job namespaces.</summary>
    public const string SharedWorkerAccount = """
        worker:
          perJobServiceAccounts: false
          jobNamespaces: [team-a, team-b]
        """;

    /// <summary>Two replicas with every monitoring object and scheduling knob on.</summary>
    public const string Monitoring = """
        replicas: 2
        logLevel: Debug
        logFormat: json
        image: {digest: "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
        imagePullSecrets: [{name: registry}]
        podAntiAffinity: hard
        topologySpreadConstraints:
          - maxSkew: 1
            topologyKey: topology.kubernetes.io/zone
            whenUnsatisfiable: ScheduleAnyway
            labelSelector:
              matchLabels: {app.kubernetes.io/instance: "{{ .Release.Name }}"}
        nodeSelector: {kubernetes.io/os: linux}
        tolerations: [{key: dedicated, operator: Equal, value: ops, effect: NoSchedule}]
        extraEnv: [{name: DOTNET_gcServer, value: "0"}]
        metrics:
          serviceMonitor: {enabled: true, labels: {release: prometheus}}
          podMonitor: {enabled: true}
          prometheusRule: {enabled: true}
          dashboard: {enabled: true}
        """;

    /// <summary>The cases every object of which goes to the API server.</summary>
    public static TheoryData<string, string?> Cases => new()
    {
        { "defaults", null },
        { "namespaced", Namespaced },
        { "shared worker account", SharedWorkerAccount },
        { "monitoring", Monitoring },
    };
}
