using System.Text.Json.Nodes;
using Whetstone.Api.V1Alpha1;
using Whetstone.Worker.Compression;
using Whetstone.Worker.FineTuning;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.Tests.Jobs;

/// <summary>The status patch a worker sends: only the fields its kind owns, never the operator's.</summary>
public sealed class ClusterStatusSinkTest
{
    [Fact]
    public void A_finetune_patch_carries_progress_and_artifacts_but_not_phase_attempts_or_message()
    {
        var status = new FineTuneJobStatus
        {
            Phase = "Running",
            Attempts = 2,
            Message = "the operator's words",
            Progress = new TrainingProgress { Step = 5, TotalSteps = 10 },
            Artifacts = new FineTuneArtifacts { Generation = 3 },
        };

        var patch = JsonNode.Parse(ClusterStatusSink<FineTuneJobStatus>.Patch(status, FineTuneCommand.Kind.WorkerOwnedFields))!["status"]!.AsObject();

        Assert.Equal(5, patch["progress"]!["step"]!.GetValue<long>());
        Assert.Equal(3, patch["artifacts"]!["generation"]!.GetValue<long>());
        Assert.False(patch.ContainsKey("phase"));
        Assert.False(patch.ContainsKey("attempts"));
        Assert.False(patch.ContainsKey("message"));
    }

    [Fact]
    public void A_compression_patch_carries_the_message_the_worker_writes_but_not_phase()
    {
        var status = new CompressionJobStatus { Phase = "Running", WorkerPod = "pod-1", Message = "step 0 (quantize) running" };

        var patch = JsonNode.Parse(ClusterStatusSink<CompressionJobStatus>.Patch(status, CompressCommand.Kind.WorkerOwnedFields))!["status"]!.AsObject();

        Assert.Equal("step 0 (quantize) running", patch["message"]!.GetValue<string>());
        Assert.False(patch.ContainsKey("phase"));
        Assert.False(patch.ContainsKey("workerPod"));
    }
}
