using Whetstone.Api.V1Alpha1;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.Tests.Jobs;

/// <summary>A standalone task file is checked against the committed CRD schema, as the API server checks an applied object.</summary>
public sealed class WorkerTaskFileTest : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("whetstone-task-file-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Every_example_task_passes_the_schema()
    {
        var tasks = Directory.GetFiles(RepositoryFiles.Combine("examples/tasks"), "*.yaml");
        Assert.NotEmpty(tasks);
        foreach (var task in tasks)
        {
            var kind = File.ReadLines(task).Single(line => line.StartsWith("kind: ", StringComparison.Ordinal))["kind: ".Length..].Trim();
            var exception = Record.Exception(() => Load(task, kind));
            Assert.True(exception is null, $"{task}: {exception?.Message}");
        }
    }

    [Fact]
    public void A_value_outside_an_enum_is_refused_naming_the_field_and_the_allowed_values()
    {
        // "full" instead of "Full" used to train LoRA without a word: anything but "Full" meant LoRA.
        var error = Assert.Throws<JobFailureException>(() => LoadFineTune("method: {type: full}"));

        Assert.Contains("spec.method.type: Unsupported value: \"full\": supported values: \"LoRA\", \"Full\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_field_is_refused_as_kubectl_refuses_it_instead_of_being_ignored()
    {
        var error = Assert.Throws<JobFailureException>(() => LoadFineTune("method: {type: LoRA}\n  hyperparameters: {learningrate: 0.1}"));

        Assert.Contains("spec.hyperparameters.learningrate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_task_loads_with_its_values()
    {
        var job = LoadFineTune("method: {type: Full}");

        Assert.Equal("Full", job.Spec.Method!.Type);
    }

    private FineTuneJob LoadFineTune(string specLines)
    {
        var path = Path.Combine(_directory, "task.yaml");
        File.WriteAllText(path, $"""
            apiVersion: whetstone.dev/v1alpha1
            kind: FineTuneJob
            metadata: {"{name: t}"}
            spec:
              baseModel: {"{uri: file:///models/base/}"}
              dataset: {"{uri: file:///data/d.jsonl, format: chat}"}
              {specLines}
              output: {"{uri: file:///out/}"}
            """);
        return WorkerTaskFile.Load<FineTuneJob>(path, "FineTuneJob");
    }

    private static object Load(string path, string kind) => kind switch
    {
        "FineTuneJob" => WorkerTaskFile.Load<FineTuneJob>(path, kind),
        "CompressionJob" => WorkerTaskFile.Load<CompressionJob>(path, kind),
        "EvaluationRun" => WorkerTaskFile.Load<EvaluationRun>(path, kind),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
