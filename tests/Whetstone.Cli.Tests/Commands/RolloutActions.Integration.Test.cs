namespace Whetstone.Cli.Tests.Commands;

/// <summary>
/// <c>whetstone abort</c>, <c>retry</c> and <c>promote</c> on examples/modelrollout.yaml: each sets the annotation the
/// operator acts on, seen in the rollout's phase and in the events the operator writes when it consumes it.
/// </summary>
[Collection(EmbeddedClusterCollection.Name)]
public sealed class RolloutActionsIntegrationTest(EmbeddedClusterFixture cluster)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task Abort_rolls_the_rollout_back_and_retry_starts_it_again()
    {
        await cluster.ApplyExampleAsync("modelrollout.yaml", "support-bot", "abort-bot");
        // The stand-in image never serves, so the rollout stays Pending, waiting for its stable track; abort applies there too.
        await WaitForPhaseAsync("abort-bot", phase => phase.Length > 0);

        var aborted = await cluster.Whetstone("abort", "abort-bot");

        Assert.True(aborted.ExitCode == 0, aborted.Error);
        Assert.Contains("whetstone.dev/abort=true", aborted.Output, StringComparison.Ordinal);
        await WaitForPhaseAsync("abort-bot", phase => phase == "RolledBack");

        // A watch on an object that is already terminal prints it and ends by itself.
        var watched = await cluster.Whetstone("get", "mro", "abort-bot", "-w");
        Assert.True(watched.ExitCode == 0, watched.Error);
        Assert.Contains(watched.Output.Split('\n'), line => line.StartsWith("mro/abort-bot", StringComparison.Ordinal) && line.Contains("RolledBack", StringComparison.Ordinal));

        var retried = await cluster.Whetstone("retry", "mro/abort-bot");

        Assert.True(retried.ExitCode == 0, retried.Error);
        await WaitForEventAsync("abort-bot", "retried by hand");
        await WaitForPhaseAsync("abort-bot", phase => phase != "RolledBack");
    }

    [Fact]
    public async Task Promote_sets_the_promote_annotation_that_the_operator_consumes()
    {
        await cluster.ApplyExampleAsync("modelrollout.yaml", "support-bot", "promote-bot");
        await WaitForPhaseAsync("promote-bot", phase => phase.Length > 0);

        var promoted = await cluster.Whetstone("promote", "mro/promote-bot");

        Assert.True(promoted.ExitCode == 0, promoted.Error);
        await WaitForEventAsync("promote-bot", "whetstone.dev/promote=step");
        await EmbeddedClusterFixture.WaitForAsync(
            async () => (await CliProcess.Kubectl(cluster.Kubeconfig, "get", "mro", "promote-bot", "-o", "jsonpath={.metadata.annotations.whetstone\\.dev/promote}")).Trim().Length == 0,
            Limit, () => CliProcess.Kubectl(cluster.Kubeconfig, "get", "mro", "promote-bot", "-o", "yaml"));
    }

    [Fact]
    public async Task Promote_refuses_a_job_with_exit_code_2()
    {
        var (exitCode, _, error) = await cluster.Whetstone("promote", "ftj/some-job");

        Assert.Equal(2, exitCode);
        Assert.Contains("ModelRollouts only", error, StringComparison.Ordinal);
    }

    private async Task WaitForPhaseAsync(string name, Func<string, bool> reached) =>
        await EmbeddedClusterFixture.WaitForAsync(
            async () => reached((await CliProcess.Kubectl(cluster.Kubeconfig, "get", "mro", name, "-o", "jsonpath={.status.phase}")).Trim()),
            Limit, async () => await CliProcess.Kubectl(cluster.Kubeconfig, "get", "mro", name, "-o", "yaml"));

    private async Task WaitForEventAsync(string name, string message) =>
        await EmbeddedClusterFixture.WaitForAsync(
            async () => (await Events(name)).Contains(message, StringComparison.Ordinal),
            Limit, () => Events(name));

    private Task<string> Events(string name) => CliProcess.Kubectl(
        cluster.Kubeconfig, "get", "events", "-o", "jsonpath={range .items[?(@.involvedObject.name==\"" + name + "\")]}{.message}{\"\\n\"}{end}");
}
