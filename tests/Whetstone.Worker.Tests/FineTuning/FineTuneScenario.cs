using System.Globalization;
using System.Text;
using System.Text.Json;
using Whetstone.Api.Workers;
using Whetstone.Datasets.Generation;
using Whetstone.Datasets.Records;

namespace Whetstone.Worker.Tests.FineTuning;

/// <summary>
/// A temporary folder holding a small generated chat dataset and a FineTuneJob task file that fine-tunes the
/// committed tiny base model (examples/models/tiny-llama) on it, with outputs in the same folder.
/// </summary>
internal sealed class FineTuneScenario : IDisposable
{
    public FineTuneScenario(int records = 60)
        : this(GenerateDataset(records), "chat")
    {
    }

    private FineTuneScenario(string dataset, string format)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("whetstone-finetune-test-").FullName;
        Format = format;
        File.WriteAllText(DatasetPath, dataset);
    }

    /// <summary>The dataset's format as the task file names it.</summary>
    public string Format { get; }

    public string Directory { get; }

    public string DatasetPath => Path.Combine(Directory, "data.jsonl");

    public string TaskPath => Path.Combine(Directory, "task.yaml");

    public string OutputDirectory => Path.Combine(Directory, "out");

    public string JobFolder => Path.Combine(OutputDirectory, "test-job");

    public string StatusPath => Path.Combine(Directory, "status.json");

    public string TerminationPath => Path.Combine(Directory, "termination-log");

    public static string BaseModelDirectory
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "examples", "models", "tiny-llama");
                if (File.Exists(Path.Combine(candidate, "config.json")))
                {
                    return candidate;
                }
            }

            throw new DirectoryNotFoundException($"examples/models/tiny-llama not found above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>
    /// The multiple-choice half of the generated support dataset (<see cref="SupportDatasetGenerator"/>, dirty records
    /// included) with <paramref name="questions"/> records: questions about the fictional shop's policies.
    /// </summary>
    public static FineTuneScenario WithSupportQuestions(int seed, int questions)
    {
        using var buffer = new MemoryStream();
        RecordJson.WriteJsonl(buffer, SupportDatasetGenerator.Generate(seed, questions * 4).MultipleChoice);
        return new FineTuneScenario(Encoding.UTF8.GetString(buffer.ToArray()), "multipleChoice");
    }

    /// <summary>Writes the task file; the hyperparameter lines can be overridden per test.</summary>
    public void WriteTask(bool absoluteUris = false, string method = "LoRA", double learningRate = 5e-3, int epochs = 2, int checkpointEverySteps = 100, double maxLossIncrease = 3.0, double maxGradNorm = 1.0, string schedule = "cosine", int batchSize = 4, int maxSequenceLength = 64, double dropout = 0.0, string split = "train: 0.7, validation: 0.2, test: 0.1", long? generation = null)
    {
        var lora = method == "LoRA" ? "    lora: {rank: 8, alpha: 16, dropout: " + dropout.ToString(CultureInfo.InvariantCulture) + ", targetModules: [q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj]}\n" : "";
        File.WriteAllText(TaskPath, string.Create(CultureInfo.InvariantCulture, $"""
            apiVersion: whetstone.dev/v1alpha1
            kind: FineTuneJob
            metadata:
              name: test-job
            {(generation is { } g ? $"  generation: {g}\n" : "")}spec:
              baseModel:
                uri: file://{BaseModelDirectory}/
              dataset:
                uri: {(absoluteUris ? new Uri(DatasetPath).AbsoluteUri : "file:data.jsonl")}
                format: {Format}
                split: {"{"}{split}, seed: 7{"}"}
              method:
                type: {method}

            """) + lora + string.Create(CultureInfo.InvariantCulture, $"""
              hyperparameters:
                epochs: {epochs}
                batchSize: {batchSize}
                learningRate: {learningRate}
                lrSchedule: {schedule}
                warmupRatio: 0.0
                maxGradNorm: {maxGradNorm}
                maxSequenceLength: {maxSequenceLength}
                precision: fp32
                seed: 3
              divergence: {"{"}maxLossIncrease: {maxLossIncrease}{"}"}
              checkpointEverySteps: {checkpointEverySteps}
              resources:
                gpu: {"{"}count: 0{"}"}
              output:
                uri: {(absoluteUris ? new Uri(OutputDirectory).AbsoluteUri + "/" : "file:out/")}
              cost: {"{"}gpuHourPrice: 2.5{"}"}

            """));
    }

    public WorkerProcess StartFromCluster(string kubeconfig, string jobNamespace, string uid) => new(
        ["finetune", "--from-cluster", "--work-dir", Path.Combine(Directory, "work")],
        new Dictionary<string, string>
        {
            ["KUBECONFIG"] = kubeconfig,
            [WorkerEnvironmentVariables.JobNamespace] = jobNamespace,
            [WorkerEnvironmentVariables.JobName] = "test-job",
            [WorkerEnvironmentVariables.JobUid] = uid,
            [WorkerEnvironmentVariables.Attempt] = "1",
            [WorkerEnvironmentVariables.TerminationMessagePath] = TerminationPath,
            ["WHETSTONE_TORCH_THREADS"] = "2",
        });

    /// <summary>Runs the worker on the task file; <paramref name="environment"/> adds variables (for example the progress interval).</summary>
    public WorkerProcess Start(IReadOnlyDictionary<string, string>? environment = null) => new(
        ["finetune", "--task", TaskPath, "--status-file", StatusPath, "--work-dir", Path.Combine(Directory, "work")],
        new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            [WorkerEnvironmentVariables.TerminationMessagePath] = TerminationPath,
            ["WHETSTONE_TORCH_THREADS"] = "2",
        });

    public JsonDocument ReadJson(string path) => JsonDocument.Parse(File.ReadAllText(path));

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    // A tiny support domain with a learnable rule: the reply repeats the order number and a fixed fact.
    private static string GenerateDataset(int records)
    {
        string[] questions = ["When will order {0} ship?", "Where is my order {0}?", "Can I return order {0}?", "Is order {0} paid?"];
        string[] answers = ["Order {0} ships in 2 days.", "Order {0} is on its way.", "Yes, order {0} can be returned within 30 days.", "Yes, order {0} is paid."];
        var text = new StringBuilder();
        for (var i = 0; i < records; i++)
        {
            var kind = i % questions.Length;
            var order = (1000 + (i * 37 % 900)).ToString(CultureInfo.InvariantCulture);
            var record = new
            {
                messages = new[]
                {
                    new { role = "user", content = string.Format(CultureInfo.InvariantCulture, questions[kind], order) },
                    new { role = "assistant", content = string.Format(CultureInfo.InvariantCulture, answers[kind], order) },
                },
            };
            text.Append(JsonSerializer.Serialize(record)).Append('\n');
        }

        return text.ToString();
    }
}
