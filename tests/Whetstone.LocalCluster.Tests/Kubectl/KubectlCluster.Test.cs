using System.Text.Json.Nodes;

namespace Whetstone.LocalCluster.Tests.Kubectl;

/// <summary>kubectl against built-in kinds: pods table, logs from the node's files, deletion cascades, warnings, dry runs.</summary>
[Collection(LocalClusterCollection.Name)]
public sealed class KubectlClusterTest(LocalClusterFixture cluster)
{
    private async Task<string> RunAsync(params string[] args)
    {
        var result = await cluster.KubectlAsync(args);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)}: {result}");
        return result.Stdout;
    }

    private async Task ApplyAsync(string ns, string yaml)
    {
        var result = await cluster.KubectlWithInputAsync(yaml, "apply", "-n", ns, "-f", "-");
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Pods_print_kubectl_columns_and_logs_come_from_the_node_log_files()
    {
        var ns = await cluster.CreateNamespaceAsync("kubectl-pods");
        await ApplyAsync(ns, "apiVersion: v1\nkind: Pod\nmetadata: {name: runner}\nspec:\n  containers: [{name: main, image: worker:1}]\n");
        var table = (await RunAsync("get", "pods", "-n", ns)).Trim().Split('\n');
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$", table[0].Trim());
        Assert.Matches(@"^runner\s+0/1\s+Pending\s+0\s+\d+s$", table[1].Trim());

        var log = PodLogPaths.ContainerLog(cluster.Server.DataDirectory, ns, "runner", "main");
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        await File.WriteAllTextAsync(log, "step 1\nstep 2\nstep 3\n");
        Assert.Equal("step 1\nstep 2\nstep 3\n", await RunAsync("logs", "runner", "-n", ns));
        Assert.Equal("step 3\n", await RunAsync("logs", "runner", "-n", ns, "--tail=1"));

        await RunAsync("patch", "pod", "runner", "-n", ns, "--subresource=status", "--type=merge", "-p", """{"status":{"phase":"Succeeded"}}""");
        Assert.Equal("step 1\nstep 2\nstep 3\n", await RunAsync("logs", "runner", "-n", ns, "-f"));
    }

    [Fact]
    public async Task Foreground_deletion_removes_dependents_before_the_owner()
    {
        var ns = await cluster.CreateNamespaceAsync("kubectl-cascade");
        await ApplyAsync(ns, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: owner}\n");
        var uid = (await RunAsync("get", "configmap", "owner", "-n", ns, "-o", "jsonpath={.metadata.uid}")).Trim();
        await ApplyAsync(ns, $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dependent\n  ownerReferences: [{{apiVersion: v1, kind: ConfigMap, name: owner, uid: {uid}}}]\n");
        await RunAsync("delete", "configmap", "owner", "-n", ns, "--cascade=foreground");
        var left = await RunAsync("get", "configmaps", "-n", ns, "-o", "name");
        Assert.DoesNotContain("owner", left);
        Assert.DoesNotContain("dependent", left);
    }

    [Fact]
    public async Task Unknown_fields_are_pruned_with_a_warning_and_dry_runs_store_nothing()
    {
        var ns = await cluster.CreateNamespaceAsync("kubectl-warn");
        var widget = "apiVersion: test.whetstone.dev/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  size: 2\n  extra: 1\n";
        var created = await cluster.KubectlWithInputAsync(widget, "create", "--validate=warn", "-n", ns, "-f", "-");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("Warning: unknown field \"spec.extra\"", created.Stderr);
        var spec = JsonNode.Parse(await RunAsync("get", "widget", "w", "-n", ns, "-o", "jsonpath={.spec}"))!.AsObject();
        Assert.False(spec.ContainsKey("extra"));

        var dry = await cluster.KubectlWithInputAsync(widget.Replace("name: w", "name: dry", StringComparison.Ordinal), "create", "--dry-run=server", "--validate=warn", "-n", ns, "-f", "-");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.NotEqual(0, (await cluster.KubectlAsync("get", "widget", "dry", "-n", ns)).ExitCode);
    }

    [Fact]
    public async Task Deleting_a_crd_stops_serving_its_kind_and_deletes_its_objects()
    {
        var crd = (await File.ReadAllTextAsync(LocalClusterFixture.TestData("widgets-crd.yaml")))
            .Replace("widgets", "gadgets", StringComparison.Ordinal).Replace("widget", "gadget", StringComparison.Ordinal)
            .Replace("Widget", "Gadget", StringComparison.Ordinal).Replace("[wd]", "[gd]", StringComparison.Ordinal);
        Assert.Equal(0, (await cluster.KubectlWithInputAsync(crd, "apply", "-f", "-")).ExitCode);
        var ns = await cluster.CreateNamespaceAsync("kubectl-crd");
        await ApplyAsync(ns, "apiVersion: test.whetstone.dev/v1\nkind: Gadget\nmetadata: {name: g}\nspec: {size: 1}\n");
        Assert.Contains("condition met", await RunAsync("wait", "--for=condition=Established", "crd/gadgets.test.whetstone.dev", "--timeout=30s"));
        await RunAsync("delete", "crd", "gadgets.test.whetstone.dev");
        var after = await cluster.KubectlAsync("get", "gadgets", "-n", ns);
        Assert.NotEqual(0, after.ExitCode);
        Assert.Contains("gadgets", after.Stderr);
    }

    [Fact]
    public async Task Create_generators_that_send_protobuf_work()
    {
        var ns = "gen-" + Guid.NewGuid().ToString("N")[..6];
        await RunAsync("create", "namespace", ns);
        await RunAsync("create", "configmap", "settings", "-n", ns, "--from-literal=a=1", "--from-literal=b=2");
        await RunAsync("create", "secret", "generic", "creds", "-n", ns, "--from-literal=user=me");
        await RunAsync("create", "serviceaccount", "robot", "-n", ns);
        Assert.Equal("1 2", (await RunAsync("get", "configmap", "settings", "-n", ns, "-o", "jsonpath={.data.a} {.data.b}")).Trim());
        Assert.Equal("bWU= Opaque", (await RunAsync("get", "secret", "creds", "-n", ns, "-o", "jsonpath={.data.user} {.type}")).Trim());
        Assert.Equal("robot", (await RunAsync("get", "serviceaccount", "robot", "-n", ns, "-o", "jsonpath={.metadata.name}")).Trim());
    }

    [Fact]
    public async Task Describe_lists_the_events_recorded_about_an_object()
    {
        var ns = await cluster.CreateNamespaceAsync("kubectl-events");
        await ApplyAsync(ns, "apiVersion: test.whetstone.dev/v1\nkind: Widget\nmetadata: {name: e}\nspec: {size: 1}\n");
        var uid = (await RunAsync("get", "widget", "e", "-n", ns, "-o", "jsonpath={.metadata.uid}")).Trim();
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        await ApplyAsync(ns, $$"""
            apiVersion: v1
            kind: Event
            metadata: {name: e.1}
            involvedObject: {apiVersion: test.whetstone.dev/v1, kind: Widget, name: e, namespace: {{ns}}, uid: {{uid}}}
            reason: Polished
            message: the widget shines
            type: Normal
            firstTimestamp: "{{now}}"
            lastTimestamp: "{{now}}"
            count: 1
            source: {component: test}
            """);
        var described = await RunAsync("describe", "widget", "e", "-n", ns);
        Assert.Matches(@"Normal\s+Polished\s+.*the widget shines", described);
        var events = (await RunAsync("get", "events", "-n", ns)).Trim().Split('\n');
        Assert.Matches(@"^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$", events[0].Trim());
        Assert.Matches(@"Normal\s+Polished\s+widget/e\s+the widget shines", events[1]);
    }
}
