using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Whetstone.LocalCluster.Tests.Kubectl;

/// <summary>The real kubectl binary against the server: what users type must work unchanged.</summary>
[Collection(LocalClusterCollection.Name)]
public sealed class KubectlScenarioTest(LocalClusterFixture cluster)
{
    private static string Widget(string name, int size, string labels = "app: demo") => $"""
        apiVersion: test.whetstone.dev/v1
        kind: Widget
        metadata:
          name: {name}
          labels: {"{"}{labels}{"}"}
        spec:
          size: {size}
        """;

    private async Task<string> RunAsync(params string[] args)
    {
        var result = await cluster.KubectlAsync(args);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)}: {result}");
        return result.Stdout;
    }

    [Fact]
    public async Task Apply_get_describe_and_delete_a_custom_resource()
    {
        var ns = await cluster.CreateNamespaceAsync("kubectl-crud");
        var applied = await cluster.KubectlWithInputAsync(Widget("w1", 3), "apply", "-n", ns, "-f", "-");
        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Contains("widget.test.whetstone.dev/w1 created", applied.Stdout);

        var table = await RunAsync("get", "widgets", "-n", ns);
        var lines = table.Trim().Split('\n');
        Assert.Matches(@"^NAME\s+SIZE\s+READY\s+AGE$", lines[0].Trim());
        Assert.Matches(@"^w1\s+3\s+\d+s$", lines[1].Trim());

        var json = JsonNode.Parse(await RunAsync("get", "widget", "w1", "-n", ns, "-o", "json"))!;
        Assert.Equal("red", json["spec"]!["color"]!.GetValue<string>()); // schema default applied
        Assert.Equal(1, json["metadata"]!["generation"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(json["metadata"]!["uid"]!.GetValue<string>()));

        var yaml = await RunAsync("get", "wd", "w1", "-n", ns, "-o", "yaml");
        Assert.Contains("kind: Widget", yaml);
        Assert.Contains("size: 3", yaml);

        var described = await RunAsync("describe", "widget", "w1", "-n", ns);
        Assert.Contains("Name:         w1", described);
        Assert.Contains("Size:", described);

        Assert.Contains("deleted", await RunAsync("delete", "widget", "w1", "-n", ns));
        var after = await cluster.KubectlAsync("get", "widget", "w1", "-n", ns);
        Assert.NotEqual(0, after.ExitCode);
        Assert.Contains("NotFound", after.Stderr);
    }

    [Fact]
    public async Task Merge_json_and_strategic_patches_apply_and_bump_generation_on_spec_changes()
    {
        var ns = await cluster.CreateNamespaceAsync("kubectl-patch");
        Assert.Equal(0, (await cluster.KubectlWithInputAsync(Widget("p1", 1), "apply", "-n", ns, "-f", "-")).ExitCode);
        await RunAsync("patch", "widget", "p1", "-n", ns, "--type=merge", "-p", """{"spec":{"size":2}}""");
        await RunAsync("patch", "widget", "p1", "-n", ns, "--type=json", "-p", """[{"op":"replace","path":"/spec/size","value":4}]""");
        await RunAsync("label", "widget", "p1", "-n", ns, "tier=gold");
        var widget = JsonNode.Parse(await RunAsync("get", "widget", "p1", "-n", ns, "-o", "json"))!;
        Assert.Equal(4, widget["spec"]!["size"]!.GetValue<int>());
        Assert.Equal(3, widget["metadata"]!["generation"]!.GetValue<int>()); // the label did not count
        Assert.Equal("gold", widget["metadata"]!["labels"]!["tier"]!.GetValue<string>());

        var configMap = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            data: {a: "1"}
            """;
        Assert.Equal(0, (await cluster.KubectlWithInputAsync(configMap, "apply", "-n", ns, "-f", "-")).ExitCode);
        await RunAsync("patch", "configmap", "settings", "-n", ns, "--type=strategic", "-p", """{"data":{"b":"2"}}""");
        var pod = """
            apiVersion: v1
            kind: Pod
            metadata: {name: runner}
            spec:
              containers:
              - name: main
                image: worker:1
                env: [{name: A, value: "1"}]
              - name: side
                image: side:1
            """;
        Assert.Equal(0, (await cluster.KubectlWithInputAsync(pod, "apply", "-n", ns, "-f", "-")).ExitCode);
        await RunAsync("patch", "pod", "runner", "-n", ns, "-p", """{"spec":{"containers":[{"name":"main","env":[{"name":"B","value":"2"}]}]}}""");
        var patchedPod = JsonNode.Parse(await RunAsync("get", "pod", "runner", "-n", ns, "-o", "json"))!;
        var containers = patchedPod["spec"]!["containers"]!.AsArray();
        Assert.Equal(2, containers.Count); // merged by name, not replaced
        Assert.Equal(["A", "B"], containers[0]!["env"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()));
        var data = JsonNode.Parse(await RunAsync("get", "configmap", "settings", "-n", ns, "-o", "json"))!["data"]!;
        Assert.Equal("1", data["a"]!.GetValue<string>());
        Assert.Equal("2", data["b"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_watch_prints_changes_as_they_happen()
    {
        var ns = await cluster.CreateNamespaceAsync("kubectl-watch");
        Assert.Equal(0, (await cluster.KubectlWithInputAsync(Widget("w", 1), "apply", "-n", ns, "-f", "-")).ExitCode);
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--cache-dir", Path.Combine(cluster.Root, "kubectl-cache"), "get", "widgets", "-n", ns, "-w", "--request-timeout=60s" })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["KUBECONFIG"] = cluster.Server.KubeconfigPath;
        using var watcher = Process.Start(start)!;
        try
        {
            var header = await watcher.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Matches(@"^NAME\s+SIZE", header);
            Assert.StartsWith("w ", await watcher.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)));
            await RunAsync("patch", "widget", "w", "-n", ns, "--type=merge", "-p", """{"spec":{"size":7}}""");
            var changed = await watcher.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Matches(@"^w\s+7\s", changed);
        }
        finally
        {
            watcher.Kill();
        }
    }

    [Fact]
    public async Task Wait_for_condition_returns_once_status_reports_it()
    {
        var ns = await cluster.CreateNamespaceAsync("kubectl-wait");
        Assert.Equal(0, (await cluster.KubectlWithInputAsync(Widget("c", 1), "apply", "-n", ns, "-f", "-")).ExitCode);
        var waiting = cluster.KubectlAsync("wait", "--for=condition=Ready", "widget/c", "-n", ns, "--timeout=60s");
        await Task.Delay(500);
        await RunAsync("patch", "widget", "c", "-n", ns, "--subresource=status", "--type=merge", "-p",
            """{"status":{"conditions":[{"type":"Ready","status":"True","reason":"Done","message":"ok","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}""");
        var result = await waiting;
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("condition met", result.Stdout);
        var table = await RunAsync("get", "widgets", "-n", ns);
        Assert.Matches(@"c\s+1\s+True", table);
    }

    [Fact]
    public async Task Server_side_apply_owns_fields_and_reports_conflicts()
    {
        var ns = await cluster.CreateNamespaceAsync("kubectl-ssa");
        var first = await cluster.KubectlWithInputAsync(Widget("s", 2), "apply", "--server-side", "-n", ns, "-f", "-");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("serverside-applied", first.Stdout);
        var widget = JsonNode.Parse(await RunAsync("get", "widget", "s", "-n", ns, "-o", "json", "--show-managed-fields"))!;
        var managers = widget["metadata"]!["managedFields"]!.AsArray();
        Assert.Contains(managers, m => m!["manager"]!.GetValue<string>() == "kubectl" && m["operation"]!.GetValue<string>() == "Apply");

        var conflict = await cluster.KubectlWithInputAsync(Widget("s", 9), "apply", "--server-side", "--field-manager=other", "-n", ns, "-f", "-");
        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("conflict", conflict.Stderr);
        Assert.Contains(".spec.size", conflict.Stderr);

        var forced = await cluster.KubectlWithInputAsync(Widget("s", 9), "apply", "--server-side", "--force-conflicts", "--field-manager=other", "-n", ns, "-f", "-");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Equal("9", await RunAsync("get", "widget", "s", "-n", ns, "-o", "jsonpath={.spec.size}"));
    }

    [Fact]
    public async Task Explain_describes_the_custom_kind_from_its_schema()
    {
        var explained = await RunAsync("explain", "widget.spec.size");
        Assert.Contains("KIND:       Widget", explained);
        Assert.Contains("How big.", explained);
    }

    [Fact]
    public async Task Invalid_resource_is_rejected_naming_the_field()
    {
        var ns = await cluster.CreateNamespaceAsync("kubectl-invalid");
        var result = await cluster.KubectlWithInputAsync(Widget("bad", 0), "apply", "-n", ns, "-f", "-");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("The Widget \"bad\" is invalid", result.Stderr);
        Assert.Contains("spec.size", result.Stderr);
        Assert.Contains("greater than or equal to 1", result.Stderr);

        var rule = await cluster.KubectlWithInputAsync(Widget("huge", 500), "apply", "-n", ns, "-f", "-");
        Assert.NotEqual(0, rule.ExitCode);
        Assert.Contains("size must be at most 100", rule.Stderr);

        var unknown = Widget("odd", 1) + "\n  extra: 1\n";
        var strict = await cluster.KubectlWithInputAsync(unknown, "create", "-n", ns, "-f", "-");
        Assert.NotEqual(0, strict.ExitCode);
        Assert.Contains("unknown field \"spec.extra\"", strict.Stderr);
    }

    [Fact]
    public async Task Label_selectors_filter_lists()
    {
        var ns = await cluster.CreateNamespaceAsync("kubectl-labels");
        foreach (var (name, labels) in new[] { ("a", "app: web, tier: front"), ("b", "app: web, tier: back"), ("c", "app: db") })
        {
            Assert.Equal(0, (await cluster.KubectlWithInputAsync(Widget(name, 1, labels), "apply", "-n", ns, "-f", "-")).ExitCode);
        }
        async Task<string> Names(string selector) => (await RunAsync("get", "widgets", "-n", ns, "-l", selector, "-o", "jsonpath={.items[*].metadata.name}")).Trim();
        Assert.Equal("a b", await Names("app=web"));
        Assert.Equal("a b", await Names("app==web"));
        Assert.Equal("c", await Names("app!=web"));
        Assert.Equal("a", await Names("tier in (front),app notin (x)"));
        Assert.Equal("a c", await Names("tier notin (back)"));
        Assert.Equal("a b", await Names("tier"));
        Assert.Equal("c", await Names("!tier"));
    }
}
