using Whetstone.Datasets.Generation;
using Whetstone.Datasets.Records;

namespace Whetstone.Worker.Tests.FineTuning;

/// <summary>The dataset of examples/tasks/finetune-multiple-choice.yaml is exactly what the generator produces.</summary>
public sealed class MultipleChoiceExampleTaskTest
{

    [Fact]
    public void Shipped_400_question_dataset_matches_the_generator_and_the_example_task_uses_it()
    {
        var root = RepositoryFiles.Root;
        using var generated = new MemoryStream();
        RecordJson.WriteJsonl(generated, SupportDatasetGenerator.Generate(seed: 42, count: 1600).MultipleChoice);
        var path = Path.Combine(root, "examples", "datasets", "support-multiple-choice-400.jsonl");

        Assert.Equal(generated.ToArray(), File.ReadAllBytes(path));
        Assert.Contains("uri: file://../datasets/support-multiple-choice-400.jsonl", File.ReadAllText(Path.Combine(root, "examples", "tasks", "finetune-multiple-choice.yaml")), StringComparison.Ordinal);
    }
}
