using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Api.Workers;
using Whetstone.Operator.FineTuning;
using Whetstone.Operator.Preflight;
using Whetstone.Operator.Workers;
using static Whetstone.Operator.Tests.FineTuning.FineTuneJobs;

namespace Whetstone.Operator.Tests.FineTuning;

public sealed class FineTuneJobPlannerTest
{
    private static readonly PreflightVerdict Checked = PreflightVerdict.Pass("inputs checked: spec.baseModel: file:///models/tiny/");

    private static WorkerJobPlan<FineTuneJobStatus> Plan(FineTuneJob job, params k8s.Models.V1Pod[] pods) =>
        FineTuneJobPlanner.Plan(job, pods, ReferenceState.Resolved, Checked, Now, Options);

    private static WorkerJobPlan<FineTuneJobStatus> Plan(FineTuneJob job, PreflightVerdict preflight, params k8s.Models.V1Pod[] pods) =>
        FineTuneJobPlanner.Plan(job, pods, ReferenceState.Resolved, preflight, Now, Options);

    [Fact]
    public void A_new_job_starts_attempt_one_with_a_worker_pod()
    {
        var plan = Plan(New());
        Assert.NotNull(plan.PodToCreate);
        Assert.Equal("support-lora-worker-1", plan.PodToCreate.Metadata.Name);
        Assert.Equal(1, plan.Status.Attempts);
        Assert.Equal(JobPhases.Pending, plan.Status.Phase);
        Assert.Equal(1, plan.Status.ObservedGeneration);
        Assert.Equal("True/Pending", plan.Status.Condition(ConditionTypes.Progressing));
        Assert.Contains(plan.Events, e => e.Reason == WorkerEventReasons.AttemptStarted);
    }

    [Fact]
    public void A_gpu_product_the_price_table_does_not_know_is_a_warning_when_the_first_attempt_starts()
    {
        var plan = Plan(New(resources: new WorkerResources { Gpu = new GpuResources { Count = 1, Product = "Acme-Z9000" } }));

        var warning = Assert.Single(plan.Events, e => e.Reason == WorkerEventReasons.UnknownGpuProduct);
        Assert.True(warning.Warning);
        Assert.Contains("Acme-Z9000", warning.Message);
    }

    [Fact]
    public void A_real_gpu_product_label_raises_no_price_warning()
    {
        var plan = Plan(New(resources: new WorkerResources { Gpu = new GpuResources { Count = 1, Product = "NVIDIA-H100-80GB-HBM3" } }));

        Assert.DoesNotContain(plan.Events, e => e.Reason == WorkerEventReasons.UnknownGpuProduct);
    }

    [Fact]
    public void An_unschedulable_pod_makes_the_job_Queued_with_the_schedulers_reason()
    {
        var job = New().WithStatus(JobPhases.Pending, 1);
        var plan = Plan(job, Pod(job, 1, "Pending", unschedulable: true));
        Assert.Equal(JobPhases.Queued, plan.Status.Phase);
        Assert.Contains("Insufficient nvidia.com/gpu", plan.Status.Message);
        Assert.Equal("False/Unschedulable", plan.Status.Condition(ConditionTypes.Ready));
        Assert.Null(plan.PodToCreate);
    }

    [Fact]
    public void A_running_pod_makes_the_job_Running_and_keeps_worker_owned_fields()
    {
        var job = New().WithStatus(JobPhases.Pending, 1);
        var plan = Plan(job, Pod(job, 1, "Running"));
        Assert.Equal(JobPhases.Running, plan.Status.Phase);
        Assert.Equal(Now.AddMinutes(-30), plan.Status.StartTime);
        Assert.Equal(1.5, plan.Status.Metrics?.TrainLoss);
    }

    [Fact]
    public void A_status_write_lost_after_the_pod_was_created_is_caught_up_from_the_pods()
    {
        // Attempt 2's pod exists, but the write that said so conflicted and the job still says attempt 1.
        var job = New().WithStatus(JobPhases.Suspended, 1);
        var running = Plan(job, Pod(job, 2, "Running"));
        Assert.Equal((2, "support-lora-worker-2", JobPhases.Running), (running.Status.Attempts, running.Status.WorkerPod, running.Status.Phase));

        var succeeded = Plan(job, Pod(job, 2, "Succeeded"));
        Assert.Equal((2, "support-lora-worker-2", JobPhases.Succeeded), (succeeded.Status.Attempts, succeeded.Status.WorkerPod, succeeded.Status.Phase));
    }

    [Fact]
    public void Planning_twice_on_the_same_world_gives_the_same_status()
    {
        var job = New().WithStatus(JobPhases.Pending, 1);
        var pod = Pod(job, 1, "Running");
        var first = Plan(job, pod);
        var second = Plan(job with { Status = first.Status }, pod);
        Assert.True(StatusComparer.AreEqual(first.Status, second.Status));
        Assert.Empty(second.Events);
    }

    [Fact]
    public void A_succeeded_pod_finishes_the_job()
    {
        var job = New().WithStatus(JobPhases.Running, 1, startTime: Now.AddMinutes(-30));
        var plan = Plan(job, Pod(job, 1, "Succeeded"));
        Assert.Equal(JobPhases.Succeeded, plan.Status.Phase);
        Assert.Equal(Now.AddMinutes(-1), plan.Status.CompletionTime);
        Assert.Equal("True/Succeeded", plan.Status.Condition(ConditionTypes.Succeeded));
        Assert.Equal("True/Succeeded", plan.Status.Condition(ConditionTypes.Ready));
    }

    [Fact]
    public void Diverging_loss_fails_the_job_with_reason_Diverged_and_no_retry()
    {
        var job = New().WithStatus(JobPhases.Running, 1, startTime: Now.AddMinutes(-30));
        var message = new WorkerTerminationMessage { Reason = ConditionReasons.Diverged, Message = "loss NaN at step 120" }.ToJson();
        var plan = Plan(job, Pod(job, 1, "Failed", terminationMessage: message));
        Assert.Equal(JobPhases.Failed, plan.Status.Phase);
        Assert.Equal("True/Diverged", plan.Status.Condition(ConditionTypes.Failed));
        Assert.Contains("loss NaN at step 120", plan.Status.Message);
        Assert.Null(plan.PodToCreate);
    }

    [Fact]
    public void A_transient_failure_waits_its_back_off_then_starts_the_next_attempt()
    {
        var job = New().WithStatus(JobPhases.Running, 1, startTime: Now.AddMinutes(-30));
        var waiting = Plan(job, Pod(job, 1, "Failed", finishedAt: Now.AddSeconds(-4)));
        Assert.Null(waiting.PodToCreate);
        Assert.Equal(TimeSpan.FromSeconds(6), waiting.RequeueAfter);
        Assert.Equal(JobPhases.Pending, waiting.Status.Phase);

        var retry = Plan(job, Pod(job, 1, "Failed", finishedAt: Now.AddSeconds(-11)));
        Assert.Equal("support-lora-worker-2", retry.PodToCreate?.Metadata.Name);
        Assert.Equal(2, retry.Status.Attempts);
        Assert.Contains(retry.Events, e => e.Reason == WorkerEventReasons.Retrying);
    }

    [Fact]
    public void Out_of_memory_is_retried_until_the_backoff_limit_then_fails_with_BackoffLimitExceeded()
    {
        var job = New(runPolicy: new RunPolicy { BackoffLimit = 1 }).WithStatus(JobPhases.Running, 2, startTime: Now.AddMinutes(-30));
        var plan = Plan(job,
            Pod(job, 1, "Failed", terminatedReason: "OOMKilled", finishedAt: Now.AddMinutes(-20)),
            Pod(job, 2, "Failed", terminatedReason: "OOMKilled", finishedAt: Now.AddMinutes(-1)));
        Assert.Equal(JobPhases.Failed, plan.Status.Phase);
        Assert.Equal("True/BackoffLimitExceeded", plan.Status.Condition(ConditionTypes.Failed));
        Assert.Contains(ConditionReasons.OutOfMemory, plan.Status.Message);
    }

    [Fact]
    public void Suspending_stops_the_running_pod_and_resuming_starts_a_new_attempt()
    {
        var job = New(runPolicy: new RunPolicy { Suspend = true }).WithStatus(JobPhases.Running, 1, startTime: Now.AddMinutes(-30));
        var suspended = Plan(job, Pod(job, 1, "Running"));
        Assert.Equal(["support-lora-worker-1"], suspended.PodsToDelete);
        Assert.Equal(JobPhases.Suspended, suspended.Status.Phase);
        Assert.Equal("True/Suspended", suspended.Status.Condition(ConditionTypes.Suspended));

        var resumed = Plan(New(runPolicy: new RunPolicy { Suspend = false }, generation: 2) with { Status = suspended.Status });
        Assert.Equal("support-lora-worker-2", resumed.PodToCreate?.Metadata.Name);
        Assert.Equal(JobPhases.Pending, resumed.Status.Phase);
    }

    [Fact]
    public void Passing_the_active_deadline_fails_the_job_and_stops_its_pod()
    {
        var job = New(runPolicy: new RunPolicy { ActiveDeadlineSeconds = 600 }).WithStatus(JobPhases.Running, 1, startTime: Now.AddMinutes(-11));
        var plan = Plan(job, Pod(job, 1, "Running"));
        Assert.Equal(JobPhases.Failed, plan.Status.Phase);
        Assert.Equal("True/DeadlineExceeded", plan.Status.Condition(ConditionTypes.Failed));
        Assert.Equal(["support-lora-worker-1"], plan.PodsToDelete);
    }

    [Fact]
    public void Editing_the_spec_of_a_running_job_is_reported_and_does_not_touch_the_running_attempt()
    {
        var job = New(generation: 2).WithStatus(JobPhases.Running, 1, startTime: Now.AddMinutes(-5));
        var plan = Plan(job, Pod(job, 1, "Running", generation: 1));
        Assert.Equal("True/SpecChangedDuringRun", plan.Status.Condition(ConditionTypes.Degraded));
        Assert.Null(plan.PodToCreate);
        Assert.Empty(plan.PodsToDelete);
        Assert.Equal(2, plan.Status.ObservedGeneration);
    }

    [Fact]
    public void A_finished_job_is_deleted_after_its_ttl_and_not_before()
    {
        var early = New(runPolicy: new RunPolicy { TtlSecondsAfterFinished = 300 }).WithStatus(JobPhases.Succeeded, 1, completionTime: Now.AddSeconds(-100));
        var waiting = Plan(early);
        Assert.False(waiting.DeleteJob);
        Assert.Equal(TimeSpan.FromSeconds(200), waiting.RequeueAfter);

        var late = early.WithStatus(JobPhases.Succeeded, 1, completionTime: Now.AddSeconds(-301));
        Assert.True(Plan(late).DeleteJob);
    }

    [Fact]
    public void A_referenced_job_that_is_not_done_keeps_the_job_Queued_and_a_failed_one_fails_it()
    {
        var job = New();
        var waiting = FineTuneJobPlanner.Plan(job, [], new ReferenceState(false, false, ConditionReasons.ReferenceNotReady, "waiting for FineTuneJob base"), PreflightVerdict.NotChecked, Now, Options);
        Assert.Equal(JobPhases.Queued, waiting.Status.Phase);
        Assert.Null(waiting.PodToCreate);

        var failed = FineTuneJobPlanner.Plan(job, [], new ReferenceState(false, true, ConditionReasons.ReferenceFailed, "FineTuneJob base failed"), PreflightVerdict.NotChecked, Now, Options);
        Assert.Equal(JobPhases.Failed, failed.Status.Phase);
        Assert.Equal("True/ReferenceFailed", failed.Status.Condition(ConditionTypes.Failed));
    }

    [Fact]
    public void A_new_job_without_a_preflight_verdict_asks_for_one_and_starts_nothing()
    {
        var plan = Plan(New(), PreflightVerdict.NotChecked);
        Assert.True(plan.NeedsPreflight);
        Assert.Null(plan.PodToCreate);
        Assert.Empty(plan.Events);
    }

    [Fact]
    public void A_passed_preflight_starts_the_first_attempt_and_records_what_was_checked()
    {
        var plan = Plan(New(), Checked);
        Assert.False(plan.NeedsPreflight);
        Assert.Equal("support-lora-worker-1", plan.PodToCreate?.Metadata.Name);
        var passed = Assert.Single(plan.Events, e => e.Reason == PreflightEventReasons.PreflightPassed);
        Assert.False(passed.Warning);
        Assert.Equal(Checked.Message, passed.Message);
    }

    [Theory]
    [InlineData(ConditionReasons.DigestMismatch, "spec.dataset.digest pins sha256:aa, but the dataset at file:///data/support.jsonl has digest sha256:bb")]
    [InlineData(ConditionReasons.SourceNotFound, "spec.baseModel.uri: no model at s3://models/tiny/ (no manifest.json)")]
    [InlineData(ConditionReasons.OutputNotWritable, "spec.output.uri: access denied for s3://out/x: check the access key and secret key (AccessDenied)")]
    public void A_failed_preflight_fails_the_job_with_its_reason_and_starts_no_worker(string reason, string message)
    {
        var plan = Plan(New(), PreflightVerdict.Fail(reason, message));
        Assert.Null(plan.PodToCreate);
        Assert.Equal(JobPhases.Failed, plan.Status.Phase);
        Assert.Equal($"True/{reason}", plan.Status.Condition(ConditionTypes.Failed));
        Assert.Equal(message, plan.Status.Message);
        Assert.NotNull(plan.Status.CompletionTime);
        Assert.Equal(0, plan.Status.Attempts ?? 0);
        var failed = Assert.Single(plan.Events);
        Assert.Equal((true, reason, message), (failed.Warning, failed.Reason, failed.Message));
    }

    [Fact]
    public void An_unavailable_store_keeps_the_job_Pending_and_checks_again_after_the_back_off_without_repeating_the_event()
    {
        var wait = PreflightVerdict.Wait(ConditionReasons.ArtifactStoreUnavailable, "spec.baseModel.uri: artifact store unavailable for s3://models/tiny/: connection refused", TimeSpan.FromSeconds(20));
        var first = Plan(New(), wait);
        Assert.Null(first.PodToCreate);
        Assert.Equal(JobPhases.Pending, first.Status.Phase);
        Assert.Equal("True/ArtifactStoreUnavailable", first.Status.Condition(ConditionTypes.Progressing));
        Assert.Equal("False/ArtifactStoreUnavailable", first.Status.Condition(ConditionTypes.Failed));
        Assert.Contains("connection refused", first.Status.Message);
        Assert.Equal(TimeSpan.FromSeconds(20), first.RequeueAfter);
        Assert.Contains(first.Events, e => e.Warning && e.Reason == ConditionReasons.ArtifactStoreUnavailable);

        var again = Plan(New() with { Status = first.Status }, wait with { RetryAfter = TimeSpan.FromSeconds(7) });
        Assert.Empty(again.Events);
        Assert.True(Whetstone.Operator.Workers.StatusComparer.AreEqual(first.Status, again.Status));
        Assert.Equal(TimeSpan.FromSeconds(7), again.RequeueAfter);
    }

    [Fact]
    public void A_retry_in_the_same_generation_does_not_ask_for_the_preflight_again()
    {
        var job = New().WithStatus(JobPhases.Running, 1, startTime: Now.AddMinutes(-30));
        var retry = Plan(job, PreflightVerdict.NotChecked, Pod(job, 1, "Failed", finishedAt: Now.AddSeconds(-11)));
        Assert.False(retry.NeedsPreflight);
        Assert.Equal("support-lora-worker-2", retry.PodToCreate?.Metadata.Name);
        Assert.DoesNotContain(retry.Events, e => e.Reason == PreflightEventReasons.PreflightPassed);
    }

    [Fact]
    public void The_first_attempt_of_a_new_generation_asks_for_the_preflight_and_a_failure_stops_it()
    {
        var job = New(generation: 2).WithStatus(JobPhases.Running, 1, startTime: Now.AddMinutes(-30));
        var failedPod = Pod(job, 1, "Failed", generation: 1, finishedAt: Now.AddSeconds(-11));
        Assert.True(Plan(job, PreflightVerdict.NotChecked, failedPod).NeedsPreflight);

        var plan = Plan(job, PreflightVerdict.Fail(ConditionReasons.DigestMismatch, "spec.baseModel.digest pins sha256:aa, but the model at file:///models/tiny/ has digest sha256:bb"), failedPod);
        Assert.Null(plan.PodToCreate);
        Assert.Equal("True/DigestMismatch", plan.Status.Condition(ConditionTypes.Failed));
    }

    [Fact]
    public void A_retry_of_a_new_generation_waiting_for_the_store_announces_the_wait_once_and_no_retry()
    {
        var job = New(generation: 2).WithStatus(JobPhases.Running, 1, startTime: Now.AddMinutes(-30));
        var failedPod = Pod(job, 1, "Failed", generation: 1, finishedAt: Now.AddSeconds(-11));
        var wait = PreflightVerdict.Wait(ConditionReasons.ArtifactStoreUnavailable, "spec.dataset.uri: artifact store unavailable", TimeSpan.FromSeconds(5));

        var first = Plan(job, wait, failedPod);
        Assert.Equal([ConditionReasons.ArtifactStoreUnavailable], first.Events.Select(e => e.Reason));
        var again = Plan(job with { Status = first.Status }, wait, failedPod);
        Assert.Empty(again.Events);
        Assert.Null(again.PodToCreate);
    }
}
