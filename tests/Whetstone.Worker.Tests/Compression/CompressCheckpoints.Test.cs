using Whetstone.Api.V1Alpha1;
using Whetstone.Compression;
using Whetstone.ML.Training;
using Whetstone.Worker.Compression;

namespace Whetstone.Worker.Tests.Compression;

/// <summary>The key of a training step's checkpoint folder: what the step trains from decides whether it resumes.</summary>
public sealed class CompressCheckpointsTest
{
    private const string Source = "sha256:aaaa";

    private static readonly List<CompressionStep> Steps =
    [
        new() { Distill = new DistillStep { Student = new StudentArchitecture { Layers = 2, HiddenSize = 64 }, Dataset = new DatasetSource { Uri = "file://chats.jsonl" } } },
        new() { Quantize = new QuantizeStep { Type = "int8", Mode = "dynamic" } },
    ];

    private static Dictionary<int, StepTrainingData> Data(params int[] firstTokens) => new()
    {
        [0] = new StepTrainingData([.. firstTokens.Select(t => new TrainingExample([t, 5, 6], [false, true, true]))], [new TrainingExample([7, 8], [false, true])], "file://chats.jsonl"),
    };

    [Fact]
    public void The_same_source_steps_and_records_give_the_same_key_so_a_later_attempt_resumes()
    {
        Assert.Equal(CompressCheckpoints.Key(Source, Steps, Data(1, 2), 0), CompressCheckpoints.Key(Source, Steps, Data(1, 2), 0));
    }

    [Fact]
    public void A_data_file_replaced_at_the_same_uri_changes_the_key_so_the_step_starts_afresh()
    {
        var key = CompressCheckpoints.Key(Source, Steps, Data(1, 2), 0);

        Assert.NotEqual(key, CompressCheckpoints.Key(Source, Steps, Data(1, 3), 0));
        Assert.NotEqual(key, CompressCheckpoints.Key(Source, Steps, Data(1, 2, 4), 0));
        Assert.NotEqual(key, CompressCheckpoints.Key(Source, Steps, new Dictionary<int, StepTrainingData>
        {
            [0] = Data(1, 2)[0] with { Train = [new TrainingExample([1, 5, 6], [true, true, true]), new TrainingExample([2, 5, 6], [false, true, true])] },
        }, 0));
        Assert.NotEqual(key, CompressCheckpoints.Key("sha256:bbbb", Steps, Data(1, 2), 0));
    }
}
