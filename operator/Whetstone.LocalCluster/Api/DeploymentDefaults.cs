using System.Text.Json.Nodes;

namespace Whetstone.LocalCluster.Api;

/// <summary>The defaults kube-apiserver gives an apps/v1 Deployment, applied on every write.</summary>
internal static class DeploymentDefaults
{
    public static void Apply(JsonObject deployment)
    {
        var spec = BuiltInDefaults.Object(deployment, "spec");
        spec["replicas"] ??= 1;
        spec["revisionHistoryLimit"] ??= 10;
        spec["progressDeadlineSeconds"] ??= 600;
        var strategy = BuiltInDefaults.Object(spec, "strategy");
        strategy["type"] ??= "RollingUpdate";
        if (strategy["type"]?.GetValue<string>() == "RollingUpdate")
        {
            var rolling = BuiltInDefaults.Object(strategy, "rollingUpdate");
            rolling["maxSurge"] ??= "25%";
            rolling["maxUnavailable"] ??= "25%";
        }

        var podSpec = BuiltInDefaults.Object(BuiltInDefaults.Object(spec, "template"), "spec");
        podSpec["restartPolicy"] ??= "Always";
        podSpec["terminationGracePeriodSeconds"] ??= 30;
        podSpec["dnsPolicy"] ??= "ClusterFirst";
        podSpec["schedulerName"] ??= "default-scheduler";
    }
}
