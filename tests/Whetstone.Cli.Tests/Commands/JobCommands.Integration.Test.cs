using System.Text.Json.Nodes;

namespace Whetstone.Cli.Tests.Commands;

/// <summary>
/// <c>whetstone get</c>, <c>logs</c>, <c>suspend</c>/<c>resume</c> and <c>report</c>, run as processes against the
/// embedded cluster on examples/finetunejob.yaml applied as it is (only its store path and name changed).
/// </summary>
[Collection(EmbeddedClusterCollection.Name)]
public sealed class JobCommandsIntegrationTest(EmbeddedClusterFixture cluster)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task Get_prints_the_phase_of_the_example_job_once_its_worker_runs_which_needs_the_seeded_store()
    {
        await cluster.ApplyExampleAsync("finetunejob.yaml", "support-lora", "get-lora");

        await EmbeddedClusterFixture.WaitForAsync(
            async () => (await cluster.Whetstone("get", "ftj", "get-lora")).Output.Contains("Running", StringComparison.Ordinal),
            Limit, async () => (await cluster.Whetstone("get", "ftj", "get-lora")).Output);
        var (exitCode, output, error) = await cluster.Whetstone("get");

        Assert.True(exitCode == 0, error);
        var header = output.Split('\n')[0];
        Assert.Equal(["NAME", "PHASE", "PROGRESS", "REASON", "AGE"], header.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var row = output.Split('\n').Single(line => line.StartsWith("ftj/get-lora ", StringComparison.Ordinal));
        Assert.Equal("Running", row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
    }

    [Fact]
    public async Task Logs_print_the_output_of_the_pod_named_in_status_worker_pod()
    {
        await cluster.ApplyExampleAsync("finetunejob.yaml", "support-lora", "logs-lora");
        var pod = "";
        await EmbeddedClusterFixture.WaitForAsync(
            async () =>
            {
                pod = (await CliProcess.Kubectl(cluster.Kubeconfig, "get", "ftj", "logs-lora", "-o", "jsonpath={.status.workerPod}")).Trim();
                return pod.Length > 0 && (await CliProcess.Kubectl(cluster.Kubeconfig, "logs", pod)).Contains("tick 1", StringComparison.Ordinal);
            },
            Limit, async () => await CliProcess.Kubectl(cluster.Kubeconfig, "get", "ftj", "logs-lora", "-o", "yaml"));

        var (exitCode, output, error) = await cluster.Whetstone("logs", "ftj/logs-lora");

        Assert.True(exitCode == 0, error);
        Assert.Contains(EmbeddedClusterFixture.StandInGreeting, output, StringComparison.Ordinal);
        // The configured stand-in for the worker image gets the environment the image brings.
        Assert.Contains($"malloc: {Api.Workers.WorkerProcessEnvironment.GlibcTunables}", output, StringComparison.Ordinal);
        Assert.Contains("tick 1", output, StringComparison.Ordinal);
        var kubectlFirstLine = (await CliProcess.Kubectl(cluster.Kubeconfig, "logs", pod)).Split('\n')[0];
        Assert.Equal(kubectlFirstLine, output.Split('\n')[0]);
    }

    [Fact]
    public async Task Suspend_sets_spec_run_policy_suspend_and_the_job_becomes_Suspended_and_resume_clears_it()
    {
        await cluster.ApplyExampleAsync("finetunejob.yaml", "support-lora", "suspend-lora");

        var suspended = await cluster.Whetstone("suspend", "ftj/suspend-lora");

        Assert.True(suspended.ExitCode == 0, suspended.Error);
        Assert.Equal("true", await Suspend("suspend-lora"));
        await EmbeddedClusterFixture.WaitForAsync(
            async () => (await cluster.Whetstone("get", "ftj", "suspend-lora")).Output.Contains("Suspended", StringComparison.Ordinal),
            Limit, async () => (await cluster.Whetstone("get", "ftj", "suspend-lora")).Output);

        var resumed = await cluster.Whetstone("resume", "ftj/suspend-lora");

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal("false", await Suspend("suspend-lora"));
        await EmbeddedClusterFixture.WaitForAsync(
            async () => !(await cluster.Whetstone("get", "ftj", "suspend-lora")).Output.Contains("Suspended", StringComparison.Ordinal),
            Limit, async () => (await cluster.Whetstone("get", "ftj", "suspend-lora")).Output);
    }

    [Fact]
    public async Task Report_prints_the_before_after_table_from_the_jobs_status()
    {
        // A suspended job keeps no worker, so the status written here is what the report reads.
        await cluster.ApplyExampleAsync("finetunejob.yaml", "support-lora", "report-lora", yaml => yaml.Replace("suspend: false", "suspend: true", StringComparison.Ordinal));
        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["metrics"] = new JsonObject { ["baseValidationLoss"] = 2.5, ["validationLoss"] = 1.25, ["bestValidationLoss"] = 1.2, ["bestStep"] = 40, ["trainLoss"] = 1.1 },
                ["lossHistory"] = new JsonArray(new JsonObject { ["step"] = 10, ["trainLoss"] = 2.75 }),
            },
        };
        await EmbeddedClusterFixture.WaitForAsync(
            async () => (await cluster.Whetstone("get", "ftj", "report-lora")).Output.Contains("Suspended", StringComparison.Ordinal),
            Limit, async () => (await cluster.Whetstone("get", "ftj", "report-lora")).Output);
        await CliProcess.Kubectl(cluster.Kubeconfig, "patch", "ftj", "report-lora", "--subresource=status", "--type=merge", "-p", status.ToJsonString());

        var (exitCode, output, error) = await cluster.Whetstone("report", "ftj/report-lora");

        Assert.True(exitCode == 0, error);
        Assert.StartsWith("FineTuneJob report-lora: Suspended", output, StringComparison.Ordinal);
        Assert.Contains("validation loss     2.500    1.250   before: the base model; best 1.200 at step 40", output, StringComparison.Ordinal);
        Assert.Contains("train loss          2.750    1.100   before: step 10", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_object_fails_with_exit_code_1_naming_it()
    {
        var (exitCode, _, error) = await cluster.Whetstone("logs", "ftj/does-not-exist");

        Assert.Equal(1, exitCode);
        Assert.Contains("ftj/does-not-exist not found in namespace default", error, StringComparison.Ordinal);
    }

    private async Task<string> Suspend(string name) =>
        (await CliProcess.Kubectl(cluster.Kubeconfig, "get", "ftj", name, "-o", "jsonpath={.spec.runPolicy.suspend}")).Trim();
}
