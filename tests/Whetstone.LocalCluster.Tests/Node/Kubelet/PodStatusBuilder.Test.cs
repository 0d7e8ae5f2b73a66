using k8s.Models;
using Whetstone.LocalCluster.Node.Kubelet;
using static Whetstone.LocalCluster.Tests.Node.PodObjects;

namespace Whetstone.LocalCluster.Tests.Node.Kubelet;

public sealed class PodStatusBuilderTest
{
    private static readonly DateTime Now = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private static V1ContainerStatus Waiting(string reason = "ContainerCreating", V1ContainerStateTerminated? last = null) => new()
    {
        Name = "main",
        State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason } },
        LastState = last is null ? null : new V1ContainerState { Terminated = last },
    };

    private static V1ContainerStatus Running(string name = "main") => new()
    {
        Name = name,
        State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = Now } },
    };

    private static V1ContainerStatus Exited(int code, string name = "main") => new()
    {
        Name = name,
        State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = code, Reason = code == 0 ? "Completed" : "Error" } },
    };

    [Theory]
    [InlineData("Never", 0, "Succeeded")]
    [InlineData("Never", 3, "Failed")]
    [InlineData("OnFailure", 0, "Succeeded")]
    [InlineData("Always", 0, "Running")]
    public void A_finished_container_ends_the_pod_according_to_its_restart_policy(string policy, int exitCode, string phase)
    {
        Assert.Equal(phase, PodStatusBuilder.CalculatePhase(policy, [Exited(exitCode)], null));
    }

    [Fact]
    public void The_phase_goes_Pending_then_Running_and_stays_Running_while_a_failed_container_backs_off()
    {
        Assert.Equal("Pending", PodStatusBuilder.CalculatePhase("Never", [Waiting()], null));
        Assert.Equal("Running", PodStatusBuilder.CalculatePhase("Never", [Running()], null));
        Assert.Equal("Running", PodStatusBuilder.CalculatePhase("OnFailure", [Waiting("CrashLoopBackOff", new V1ContainerStateTerminated { ExitCode = 1 })], null));
        Assert.Equal("Running", PodStatusBuilder.CalculatePhase("Never", [Running("a"), Exited(1, "b")], null));
    }

    [Fact]
    public void A_pod_level_failure_such_as_DeadlineExceeded_makes_the_pod_Failed()
    {
        var pod = Pod("p");
        var status = PodStatusBuilder.Build(pod, [], [Exited(143)], new PodFailure("DeadlineExceeded", "too long"), Now, "127.0.0.1", "127.10.0.1", Now);

        Assert.Equal("Failed", status.Phase);
        Assert.Equal("DeadlineExceeded", status.Reason);
    }

    [Fact]
    public void A_running_pod_is_Ready_with_ip_start_time_and_all_conditions()
    {
        var status = PodStatusBuilder.Build(Pod("p"), [], [Running()], null, Now, "127.0.0.1", "127.10.0.1", Now);

        Assert.Equal("Running", status.Phase);
        Assert.Equal("127.10.0.1", status.PodIP);
        Assert.Equal("127.0.0.1", status.HostIP);
        Assert.Equal(Now, status.StartTime);
        Assert.All(new[] { "PodScheduled", "Initialized", "ContainersReady", "Ready" },
            type => Assert.Equal("True", status.Conditions.Single(c => c.Type == type).Status));
        Assert.True(status.ContainerStatuses.Single().Ready);
    }

    [Fact]
    public void A_completed_pod_is_not_Ready_with_reason_PodCompleted()
    {
        var status = PodStatusBuilder.Build(Pod("p"), [], [Exited(0)], null, Now, "127.0.0.1", "127.10.0.1", Now);

        var ready = status.Conditions.Single(c => c.Type == "Ready");
        Assert.Equal(("False", "PodCompleted"), (ready.Status, ready.Reason));
        Assert.False(status.ContainerStatuses.Single().Ready);
    }

    [Fact]
    public void A_condition_keeps_its_transition_time_while_its_status_is_unchanged()
    {
        var pod = Pod("p");
        var earlier = Now.AddMinutes(-5);
        pod.Status = PodStatusBuilder.Build(pod, [], [Running()], null, earlier, "127.0.0.1", "127.10.0.1", earlier);

        var later = PodStatusBuilder.Build(pod, [], [Running()], null, earlier, "127.0.0.1", "127.10.0.1", Now);
        var finished = PodStatusBuilder.Build(pod, [], [Exited(0)], null, earlier, "127.0.0.1", "127.10.0.1", Now);

        Assert.Equal(earlier, later.Conditions.Single(c => c.Type == "Ready").LastTransitionTime);
        Assert.Equal(Now, finished.Conditions.Single(c => c.Type == "Ready").LastTransitionTime);
    }

    [Fact]
    public void While_an_init_container_has_not_succeeded_the_pod_is_Pending_and_not_Initialized()
    {
        var running = PodStatusBuilder.Build(Pod("p"), [Running("setup")], [Waiting("PodInitializing")], null, Now, "127.0.0.1", "127.10.0.1", Now);
        var done = PodStatusBuilder.Build(Pod("p"), [Exited(0, "setup")], [Running()], null, Now, "127.0.0.1", "127.10.0.1", Now);

        Assert.Equal("Pending", running.Phase);
        var initialized = running.Conditions.Single(c => c.Type == "Initialized");
        Assert.Equal(("False", "ContainersNotInitialized", "containers with incomplete status: [setup]"), (initialized.Status, initialized.Reason, initialized.Message));
        Assert.Equal("Running", done.Phase);
        Assert.Equal("True", done.Conditions.Single(c => c.Type == "Initialized").Status);
        Assert.True(done.InitContainerStatuses.Single().Ready);
    }

    [Fact]
    public void An_init_container_failing_under_Never_fails_the_pod()
    {
        var status = PodStatusBuilder.Build(Pod("p"), [Exited(2, "setup")], [Waiting("PodInitializing")], null, Now, "127.0.0.1", "127.10.0.1", Now);

        Assert.Equal("Failed", status.Phase);
    }

    [Fact]
    public void A_running_container_whose_readiness_probe_fails_leaves_the_pod_not_Ready()
    {
        var status = PodStatusBuilder.Build(Pod("p"), [], [Running()], null, Now, "127.0.0.1", "127.10.0.1", Now, new HashSet<string> { "main" });

        Assert.Equal("Running", status.Phase);
        Assert.Equal("False", status.Conditions.Single(c => c.Type == "Ready").Status);
        Assert.False(status.ContainerStatuses.Single().Ready);
    }
}
