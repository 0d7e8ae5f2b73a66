using System.Globalization;
using k8s;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Reliability.Tests.Cluster;
using Whetstone.Reliability.Tests.Results;
using Whetstone.Reliability.Tests.Rollouts;

namespace Whetstone.Reliability.Tests.Operators;

/// <summary>
/// The operator's clocks across a restart: a ModelRollout's timed pause and a FineTuneJob's
/// <c>runPolicy.activeDeadlineSeconds</c> must end when they were due, counted from when they began, not from when a
/// restarted operator process first saw them. The operator is SIGKILLed part-way through and started again after a
/// few seconds down, as a crashed container is; a clock kept in the process's memory would restart with it and end late
/// by at least the time before the kill plus the time down.
/// </summary>
public sealed class OperatorRestartTimersIntegrationTest(ControlPlane cluster) : IClassFixture<ControlPlane>
{
    private static readonly LeaseTimings Timings = new(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(500));
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan KilledAfter = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Down = TimeSpan.FromSeconds(4);

    /// <summary>How late past its due time a timer may end: the operator's requeue, a reconcile and the test's 200 ms polling.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(3.5);

    [Fact]
    public async Task A_timed_pause_ends_when_it_was_due_although_the_operator_was_killed_during_it()
    {
        const int pauseSeconds = 15;
        var ns = await cluster.NewNamespaceAsync();
        var lease = $"pause-{Guid.NewGuid():N}"[..16];
        var settings = new Dictionary<string, string>(StringComparer.Ordinal) { ["Whetstone:Workers:Image"] = ControlPlane.ServingImage };
        await using var first = await StartLeadingAsync(lease, settings);
        await using var recorder = new RolloutRecorder(cluster.Client, ns, "timed");
        await cluster.CreateRouteAsync(ns, "timed");
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Rollout("timed", pauseSeconds), WhetstoneApi.Group, WhetstoneApi.Version, ns, Plurals.ModelRollouts);
        recorder.Start();

        var paused = await recorder.WaitForRolloutAsync(
            r => r.Status is { Phase: RolloutPhases.Paused, CurrentStep: 1, PauseStartTime: not null }, "the rollout pauses at step 2", Patience, first);
        var pauseStart = paused.Status!.PauseStartTime!.Value;
        var killedAt = await KillAtAsync(first, pauseStart + KilledAfter);
        await Task.Delay(Down);
        await using var second = await StartLeadingAsync(lease, settings);
        var ledAt = second.BecameLeaderAt()[0];
        var seenAfterRestart = await recorder.ReadAsync();
        var advanced = await recorder.WaitForRolloutAsync(r => r.Status?.CurrentStep >= 2, "the pause ends", Patience, second);
        var advancedAt = DateTime.UtcNow;

        var due = pauseStart.AddSeconds(pauseSeconds);
        var late = advancedAt - due;
        var restartedClockDue = ledAt.AddSeconds(pauseSeconds);
        var phases = recorder.PhasesSeen();
        ReliabilityResults.Record(new ReliabilityRow(
            $"Operator SIGKILLed {KilledAfter.TotalSeconds:0} s into a ModelRollout's {pauseSeconds} s pause and started again {Down.TotalSeconds:0} s later",
            $"{nameof(OperatorRestartTimersIntegrationTest)}.{nameof(A_timed_pause_ends_when_it_was_due_although_the_operator_was_killed_during_it)}",
            $"the pause began at {Clock(pauseStart)}, the operator was killed at {Clock(killedAt)}, the next process led at {Clock(ledAt)}, and pauseStartTime then read {Clock(seenAfterRestart.Status?.PauseStartTime)}; the rollout moved to step {advanced.Status?.CurrentStep + 1} (canary weight {advanced.Status?.CanaryWeight}) at {Clock(advancedAt)}, "
            + $"{late.TotalSeconds:0.0} s after the pause was due ({Clock(due)}); a clock restarted with the process would have ended it at {Clock(restartedClockDue)} or later; phases seen: {string.Join(" -> ", phases)}",
            Recovered: advanced.Status?.CanaryWeight == 60,
            Lost: seenAfterRestart.Status?.PauseStartTime != pauseStart || late > Slack,
            new Dictionary<string, double>
            {
                ["pauseSeconds"] = pauseSeconds,
                ["killedSecondsIntoPause"] = Math.Round((killedAt - pauseStart).TotalSeconds, 2),
                ["downSeconds"] = Down.TotalSeconds,
                ["endedSecondsAfterDue"] = Math.Round(late.TotalSeconds, 2),
                ["restartedClockWouldEndSecondsAfterDue"] = Math.Round((restartedClockDue - due).TotalSeconds, 2),
            }));

        Assert.Equal(pauseStart, seenAfterRestart.Status?.PauseStartTime);
        Assert.True(late >= TimeSpan.FromSeconds(-1), $"the pause ended {-late.TotalSeconds:0.0} s before it was due");
        Assert.True(late <= Slack, $"the pause ended {late.TotalSeconds:0.0} s after it was due (a clock restarted with the operator would end it {(restartedClockDue - due).TotalSeconds:0.0} s late)");
        Assert.Equal(60, advanced.Status?.CanaryWeight);
        Assert.DoesNotContain(RolloutPhases.Promoted, phases);
    }

    [Fact]
    public async Task A_jobs_deadline_fails_it_when_due_although_the_operator_was_killed_while_its_worker_ran()
    {
        const int deadlineSeconds = 15;
        var ns = await cluster.NewNamespaceAsync();
        var lease = $"dead-{Guid.NewGuid():N}"[..16];
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Whetstone:Workers:Image"] = ControlPlane.LongWorkerImage,
            ["Whetstone:Workers:RetryBaseDelay"] = "00:00:01",
        };
        await using var podLog = await PodCreationLog.StartAsync(cluster.Client, ns);
        await using var first = await StartLeadingAsync(lease, settings);
        await cluster.CreateJobAsync(ns, "bounded", deadlineSeconds);

        FineTuneJob running = null!;
        await Eventually.TrueAsync(async () =>
        {
            running = (await cluster.ReadJobsAsync(ns))["bounded"];
            return running.Status is { Phase: JobPhases.Running, StartTime: not null };
        }, $"the job runs\n{first.Tail()}", Patience);
        var startTime = running.Status!.StartTime!.Value;
        var killedAt = await KillAtAsync(first, startTime + KilledAfter);
        await Task.Delay(Down);
        await using var second = await StartLeadingAsync(lease, settings);
        var ledAt = second.BecameLeaderAt()[0];

        FineTuneJob ended = null!;
        await Eventually.TrueAsync(async () =>
        {
            ended = (await cluster.ReadJobsAsync(ns))["bounded"];
            return JobPhases.IsTerminal(ended.Status?.Phase ?? "");
        }, $"the job ends\n{second.Tail()}", Patience);
        var endedAt = DateTime.UtcNow;
        await podLog.CatchUpAsync();

        var due = startTime.AddSeconds(deadlineSeconds);
        var late = endedAt - due;
        var restartedClockDue = ledAt.AddSeconds(deadlineSeconds);
        var failed = ended.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Failed);
        var pods = podLog.ByJob().GetValueOrDefault("bounded") ?? [];
        ReliabilityResults.Record(new ReliabilityRow(
            $"Operator SIGKILLed {KilledAfter.TotalSeconds:0} s into a FineTuneJob with activeDeadlineSeconds {deadlineSeconds} (its worker runs for minutes) and started again {Down.TotalSeconds:0} s later",
            $"{nameof(OperatorRestartTimersIntegrationTest)}.{nameof(A_jobs_deadline_fails_it_when_due_although_the_operator_was_killed_while_its_worker_ran)}",
            $"the job started at {Clock(startTime)}, the operator was killed at {Clock(killedAt)} and the next process led at {Clock(ledAt)}; the job ended {ended.Status?.Phase} ({failed?.Reason}: {failed?.Message}) "
            + $"at {Clock(endedAt)}, {late.TotalSeconds:0.0} s after its deadline was due ({Clock(due)}; a clock restarted with the process: {Clock(restartedClockDue)} or later), startTime after the restart {Clock(ended.Status?.StartTime)}, "
            + $"completionTime {Clock(ended.Status?.CompletionTime)}; worker pods created: {pods.Count} ({string.Join(", ", pods.Select(p => p.Name))})",
            Recovered: ended.Status?.Phase == JobPhases.Failed && failed?.Reason == ConditionReasons.DeadlineExceeded,
            Lost: ended.Status?.StartTime != startTime || late > Slack || pods.Count != 1,
            new Dictionary<string, double>
            {
                ["deadlineSeconds"] = deadlineSeconds,
                ["killedSecondsAfterStart"] = Math.Round((killedAt - startTime).TotalSeconds, 2),
                ["downSeconds"] = Down.TotalSeconds,
                ["endedSecondsAfterDue"] = Math.Round(late.TotalSeconds, 2),
                ["restartedClockWouldEndSecondsAfterDue"] = Math.Round((restartedClockDue - due).TotalSeconds, 2),
                ["workerPods"] = pods.Count,
            }));

        Assert.Equal(JobPhases.Failed, ended.Status?.Phase);
        Assert.Equal(ConditionReasons.DeadlineExceeded, failed?.Reason);
        Assert.Equal(startTime, ended.Status?.StartTime);
        Assert.True(late >= TimeSpan.FromSeconds(-1), $"the job ended {-late.TotalSeconds:0.0} s before its deadline");
        Assert.True(late <= Slack, $"the job ended {late.TotalSeconds:0.0} s after its deadline (a clock restarted with the operator would end it {(restartedClockDue - due).TotalSeconds:0.0} s late)");
        Assert.Single(pods);
    }

    private async Task<OperatorReplica> StartLeadingAsync(string lease, IReadOnlyDictionary<string, string> settings)
    {
        // The same identity each time, as a container restarted in its pod keeps its pod name.
        var replica = OperatorReplica.Start(cluster.KubeconfigPath, "replica-a", lease, Timings, settings);
        await Eventually.TrueAsync(() => replica.BecameLeaderAt().Count > 0, $"the operator process leads\n{replica.Tail()}", Patience);
        return replica;
    }

    /// <summary>Kills <paramref name="replica"/> at <paramref name="at"/> (or at once when that has passed); returns when.</summary>
    private static async Task<DateTime> KillAtAsync(OperatorReplica replica, DateTime at)
    {
        var wait = at - DateTime.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var killedAt = DateTime.UtcNow;
        await replica.KillAsync();
        return killedAt;
    }

    private static string Clock(DateTime? at) => at?.ToString("HH:mm:ss.f", CultureInfo.InvariantCulture) ?? "none";

    private static ModelRollout Rollout(string name, int pauseSeconds) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new ModelRolloutSpec
        {
            Serving = new ServingSpec { Replicas = 1, Port = 8080 },
            Stable = new RolloutTrack { Model = new ModelSource { Uri = "file:///models/support/1.2.0/" }, Version = "1.2.0" },
            Canary = new RolloutTrack { Model = new ModelSource { Uri = "file:///models/support/1.3.0/" }, Version = "1.3.0" },
            TrafficRouting = new TrafficRouting { GatewayAPI = new GatewayApiRouting { HttpRoute = name } },
            Strategy = new RolloutStrategy
            {
                // The last pause has no duration: the rollout waits there for a person, so the test sees the timed
                // pause end without a promotion racing it.
                Steps =
                [
                    new RolloutStep { SetWeight = 20 },
                    new RolloutStep { Pause = new PauseStep { Duration = $"{pauseSeconds}s" } },
                    new RolloutStep { SetWeight = 60 },
                    new RolloutStep { Pause = new PauseStep() },
                ],
            },
        },
    };
}
