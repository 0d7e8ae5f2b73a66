using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.FineTuning;
using Whetstone.Operator.Preflight;
using Whetstone.Operator.Workers;
using static Whetstone.Operator.Tests.FineTuning.FineTuneJobs;

namespace Whetstone.Operator.Tests.FineTuning;

/// <summary>
/// The planner's half of "no write when nothing changed": with the same job and pods, a plan made later (only the
/// clock moved) yields the status the earlier plan wrote, so the controller skips the status write.
/// </summary>
public sealed class SteadyStatePlanningTest
{
    private static WorkerJobPlan<FineTuneJobStatus> PlanAt(FineTuneJob job, DateTime now, params k8s.Models.V1Pod[] pods) =>
        FineTuneJobPlanner.Plan(job, pods, ReferenceState.Resolved, PreflightVerdict.Pass("inputs checked"), now, Options);

    public static TheoryData<string> SettledPodPhases => new() { "Succeeded", "Failed", "Running", "Pending" };

    [Fact]
    public void A_job_waiting_out_its_retry_back_off_plans_the_same_status_as_the_clock_moves()
    {
        var job = New().WithStatus(JobPhases.Running, 1, startTime: Now.AddMinutes(-30));
        var pod = Pod(job, 1, "Failed", finishedAt: Now.AddSeconds(-2));
        var written = PlanAt(job, Now, pod);
        Assert.Equal(JobPhases.Pending, written.Status.Phase);
        Assert.Contains("retrying at 2026-11-23T12:00:08Z", written.Status.Message);

        var later = PlanAt(job with { Status = written.Status }, Now.AddSeconds(5), pod);

        Assert.Null(later.PodToCreate);
        Assert.True(StatusComparer.AreEqual(written.Status, later.Status), $"{written.Status.Message} became {later.Status.Message}");
        Assert.Empty(later.Events);
    }

    [Theory]
    [MemberData(nameof(SettledPodPhases))]
    public void A_settled_job_plans_the_same_status_and_no_event_a_minute_later(string podPhase)
    {
        var job = New().WithStatus(JobPhases.Pending, 1);
        var pod = Pod(job, 1, podPhase, terminationMessage: podPhase == "Failed" ? """{"reason":"Diverged","message":"loss is NaN"}""" : null);
        var first = PlanAt(job, Now, pod);
        var settled = job with { Status = first.Status };
        var again = PlanAt(settled, Now.AddSeconds(1), pod);

        var later = PlanAt(job with { Status = again.Status }, Now.AddMinutes(1), pod);

        Assert.True(StatusComparer.AreEqual(again.Status, later.Status), $"{again.Status.Message} became {later.Status.Message}");
        Assert.Empty(later.Events);
        Assert.Null(later.PodToCreate);
        Assert.Empty(later.PodsToDelete);
    }
}
