using System.Text.Json.Nodes;
using Whetstone.Chart.Tests.Rendering;

namespace Whetstone.Chart.Tests.Cluster;

/// <summary>
/// The references between rendered objects that no API server checks at apply time: selectors that must match the
/// operator's pods, port names, the ServiceAccounts and roles bindings name, and the shape of the alerting rules.
/// </summary>
internal static class ChartStructure
{
    public static void AssertReferencesResolve(RenderedChart chart)
    {
        var deployment = Assert.Single(chart.OfKind("Deployment"));
        var pod = deployment.Json["spec"]!["template"]!;
        var podLabels = Labels(pod["metadata"]!["labels"]);
        var containerPorts = pod["spec"]!["containers"]!.AsArray().SelectMany(c => c!["ports"]!.AsArray()).Select(p => (string)p!["name"]!).ToHashSet();

        AssertSelects(deployment.Json["spec"]!["selector"]!["matchLabels"], podLabels, $"{deployment} selector");
        AssertExists(chart, "ServiceAccount", (string)pod["spec"]!["serviceAccountName"]!, deployment.Namespace);
        foreach (var volume in pod["spec"]!["volumes"]!.AsArray().Where(v => v!["configMap"] is not null))
        {
            AssertExists(chart, "ConfigMap", (string)volume!["configMap"]!["name"]!, deployment.Namespace);
        }

        foreach (var service in chart.OfKind("Service"))
        {
            AssertSelects(service.Json["spec"]!["selector"], podLabels, $"{service} selector");
            Assert.All(service.Json["spec"]!["ports"]!.AsArray(), p => Assert.Contains((string)p!["targetPort"]!, containerPorts));
        }

        foreach (var budget in chart.OfKind("PodDisruptionBudget"))
        {
            AssertSelects(budget.Json["spec"]!["selector"]!["matchLabels"], podLabels, $"{budget} selector");
        }

        foreach (var monitor in chart.OfKind("ServiceMonitor"))
        {
            var service = Assert.Single(chart.OfKind("Service"));
            AssertSelects(monitor.Json["spec"]!["selector"]!["matchLabels"], Labels(service.Json["metadata"]!["labels"]), $"{monitor} selector");
            var servicePorts = service.Json["spec"]!["ports"]!.AsArray().Select(p => (string)p!["name"]!).ToHashSet();
            Assert.All(monitor.Json["spec"]!["endpoints"]!.AsArray(), e => Assert.Contains((string)e!["port"]!, servicePorts));
        }

        foreach (var monitor in chart.OfKind("PodMonitor"))
        {
            AssertSelects(monitor.Json["spec"]!["selector"]!["matchLabels"], podLabels, $"{monitor} selector");
            Assert.All(monitor.Json["spec"]!["podMetricsEndpoints"]!.AsArray(), e => Assert.Contains((string)e!["port"]!, containerPorts));
        }

        foreach (var rule in chart.OfKind("PrometheusRule"))
        {
            Assert.All(rule.Json["spec"]!["groups"]!.AsArray(), group =>
            {
                Assert.False(string.IsNullOrEmpty((string?)group!["name"]));
                Assert.All(group["rules"]!.AsArray(), r =>
                {
                    Assert.False(string.IsNullOrEmpty((string?)r!["expr"]));
                    Assert.True(r["alert"] is not null ^ r["record"] is not null, $"a rule is either an alert or a recording rule: {r.ToJsonString()}");
                });
            });
        }

        foreach (var binding in chart.OfKind("RoleBinding").Concat(chart.OfKind("ClusterRoleBinding")))
        {
            var roleRef = binding.Json["roleRef"]!;
            var roleKind = (string)roleRef["kind"]!;
            AssertExists(chart, roleKind, (string)roleRef["name"]!, roleKind == "Role" ? binding.Namespace : null);
            foreach (var subject in binding.Json["subjects"]!.AsArray().Where(s => (string?)s!["kind"] == "ServiceAccount"))
            {
                AssertExists(chart, "ServiceAccount", (string)subject!["name"]!, (string?)subject["namespace"]);
            }
        }
    }

    private static Dictionary<string, string> Labels(JsonNode? labels) =>
        labels?.AsObject().ToDictionary(l => l.Key, l => (string)l.Value!) ?? [];

    private static void AssertSelects(JsonNode? selector, Dictionary<string, string> labels, string what)
    {
        var wanted = Labels(selector);
        Assert.NotEmpty(wanted);
        Assert.All(wanted, w => Assert.True(labels.TryGetValue(w.Key, out var v) && v == w.Value, $"{what}: {w.Key}={w.Value} matches nothing"));
    }

    private static void AssertExists(RenderedChart chart, string kind, string name, string? ns) =>
        Assert.True(
            chart.OfKind(kind).Any(o => o.Name == name && o.Namespace == ns),
            $"no rendered {kind} {ns}/{name}");
}
