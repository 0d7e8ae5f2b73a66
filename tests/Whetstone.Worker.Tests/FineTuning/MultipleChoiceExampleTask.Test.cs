using Whetstone.Datasets.Generation;
using Whetstone.Datasets.Records;

namespace Whetstone.Worker.Tests.FineTuning;

/// <summary>The dataset of examples/tasks/finetune-multiple-choice.yaml is exactly what the generator produces.</summary>
public sealed class MultipleChoiceExampleTaskTest
{
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Operator.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("repository root (Operator.sln) not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void Shipped_400_question_dataset_matches_the_generator_and_the_example_task_uses_it()
    {
        var root = RepositoryRoot();
        using var generated = new MemoryStream();
        RecordJson.WriteJsonl(generated, SupportDatasetGenerator.Generate(seed: 42, count: 1600).MultipleChoice);
        var path = Path.Combine(root, "examples", "datasets", "support-multiple-choice-400.jsonl");

        Assert.Equal(generated.ToArray(), File.ReadAllBytes(path));
        Assert.Contains("uri: file://../datasets/support-multiple-choice-400.jsonl", File.ReadAllText(Path.Combine(root, "examples", "tasks", "finetune-multiple-choice.yaml")), StringComparison.Ordinal);
    }
}
