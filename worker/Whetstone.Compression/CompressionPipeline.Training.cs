using System.Globalization;
using Whetstone.Api.V1Alpha1;
using Whetstone.Compression.Distillation;
using Whetstone.Compression.Pruning;
using Whetstone.ML.Models;
using Whetstone.ML.Training;
using Whetstone.ModelRuntime;

namespace Whetstone.Compression;

/// <summary>The steps that train: distill, and a prune step's recovery fine-tune.</summary>
public sealed partial class CompressionPipeline
{
    /// <summary>The trainer's options a training step starts from (its epochs or steps and learning rate are the step's).</summary>
    public static TrainingOptions DefaultTrainingOptions { get; } = new()
    {
        BatchSize = 8,
        LearningRateSchedule = LearningRateScheduleKind.Cosine,
        WarmupRatio = 0.05,
        MaxSequenceLength = 512,
        Seed = 42,
    };

    /// <summary>The records of each training step (distill, or prune with recovery), by step index.</summary>
    public IReadOnlyDictionary<int, StepTrainingData> TrainingData { get; init; } = new Dictionary<int, StepTrainingData>();

    /// <summary>Local model directories of distill steps that name a studentModel, by step index.</summary>
    public IReadOnlyDictionary<int, string> StudentModels { get; init; } = new Dictionary<int, string>();

    /// <summary>The trainer's options training steps start from; default <see cref="DefaultTrainingOptions"/>.</summary>
    public TrainingOptions TrainingOptions { get; init; } = DefaultTrainingOptions;

    /// <summary>
    /// Where training steps keep their checkpoints (a folder per step, <c>step&lt;i&gt;-&lt;name&gt;</c>): a killed run
    /// started again with the same folder resumes each training step from its latest checkpoint. Default: under the
    /// work directory.
    /// </summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>
    /// The checkpoint store of a training step, by step index and name (<c>distill</c>, <c>prune</c>), when the caller
    /// keeps them elsewhere (in the output store, mirrored); null, or a null answer: under <see cref="CheckpointDirectory"/>.
    /// </summary>
    public Func<int, string, ICheckpointStore?>? CheckpointStores { get; init; }

    /// <summary>
    /// The problems that make the training steps impossible on this source, found before any work: a distill or
    /// recovery step without records, and <see cref="CheckStudents"/>'s.
    /// </summary>
    public IReadOnlyList<string> CheckTrainingSteps(string sourceDirectory)
    {
        var problems = new List<string>();
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var step = plan.Steps[i];
            var field = step.Distill is not null ? $"spec.steps[{i}].distill" : $"spec.steps[{i}].prune.recovery";
            if ((step.Distill is not null || step.Prune?.Recovery is not null) && (!TrainingData.TryGetValue(i, out var data) || data.Train.Count == 0))
            {
                problems.Add($"{field}.dataset: no training records were given to the step");
            }
        }
        problems.AddRange(CheckStudents(plan, sourceDirectory, StudentModels));
        return problems;
    }

    /// <summary>
    /// The problems of the plan's distill steps with this source as the teacher, each naming its field: a student
    /// larger than the teacher (pruning keeps the layers and the hidden size, so the source's configuration stands
    /// for every distill step's teacher; heads are checked only when no structured prune comes first), a studentModel
    /// with another vocabulary or not given, a source that is not a Llama model in the whetstone format.
    /// </summary>
    public static IReadOnlyList<string> CheckStudents(CompressionPlan plan, string sourceDirectory, IReadOnlyDictionary<int, string> studentModels)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(studentModels);
        var problems = new List<string>();
        var configPath = Path.Combine(sourceDirectory, LlamaCheckpoint.ConfigFileName);
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            if (plan.Steps[i].Distill is not { } distill)
            {
                continue;
            }
            var field = $"spec.steps[{i}].distill";
            if (IsOnnx(sourceDirectory) || !File.Exists(configPath) || ModelLoader.ReadModelType(sourceDirectory) is { } type && type != "llama")
            {
                problems.Add($"{field}: distillation works on Llama language models in the whetstone format; the source is not one");
                continue;
            }
            LlamaConfig? studentModel = null;
            if (distill.StudentModel is not null)
            {
                if (!studentModels.TryGetValue(i, out var directory))
                {
                    problems.Add($"{field}.studentModel: the model was not given to the step");
                    continue;
                }
                studentModel = LlamaConfig.Load(Path.Combine(directory, LlamaCheckpoint.ConfigFileName));
            }
            var structuredPruneBefore = plan.Steps.Take(i).Any(s => s.Prune?.Structured == true);
            var shape = distill.Student is { } student && structuredPruneBefore ? student with { Heads = null } : distill.Student;
            problems.AddRange(Distiller.Check(LlamaConfig.Load(configPath), shape, studentModel, field));
        }
        return problems;
    }

    // A run started again on the same folder (after a kill) starts its steps afresh, since step outputs are written
    // once; the training checkpoints stay, so the training steps resume.
    private void ClearWorkDirectory(string sourceDirectory)
    {
        var work = Path.GetFullPath(workDirectory);
        if ((Path.GetFullPath(sourceDirectory) + Path.DirectorySeparatorChar).StartsWith(work + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"the source model {sourceDirectory} lies inside the work directory {workDirectory}, which each run clears");
        }
        Directory.CreateDirectory(workDirectory);
        var keep = Path.GetFullPath(CheckpointDirectory ?? Path.Combine(workDirectory, "checkpoints"));
        foreach (var entry in Directory.EnumerateFileSystemEntries(workDirectory).Select(Path.GetFullPath).ToList())
        {
            if (entry == keep || keep.StartsWith(entry + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }
    }

    private string Distill(string input, string output, DistillStep step, int index, CancellationToken cancellationToken, out DistillationSummary summary)
    {
        var field = $"spec.steps[{index}].distill";
        if (IsOnnx(input))
        {
            throw new ArgumentException($"{field}: the model is an ONNX graph here; distill steps must come before quantize and convert");
        }
        var options = new DistillationOptions(step.Temperature ?? 2.0, step.Alpha ?? 0.5,
            TrainingOptions with { Epochs = step.Epochs ?? 2, LearningRate = step.LearningRate ?? 5.0e-4 });
        var data = TrainingData[index];
        observer.Say($"step {index} distill: {data.Train.Count} training and {data.Validation.Count} validation examples from {data.Source}");
        summary = Distiller.Distill(input, output, step.Student, StudentModels.GetValueOrDefault(index), data, options with { Training = WithSchedule(options.Training, data) },
            field, Checkpoints(index, "distill"), new TrainingProgressLines($"step {index} distill", observer.Say), cancellationToken);
        return summary.Describe();
    }

    private string? Recover(string directory, PruneRecovery recovery, int index, CancellationToken cancellationToken, out TrainingResult? result)
    {
        var field = $"spec.steps[{index}].prune.recovery";
        var data = TrainingData[index];
        var options = TrainingOptions with
        {
            Epochs = recovery.Epochs ?? PruneRecovery.DefaultEpochs,
            MaxSteps = recovery.Steps,
            LearningRate = recovery.LearningRate ?? PruneRecovery.DefaultLearningRate,
        };
        observer.Say($"step {index} prune: recovery fine-tune on {data.Train.Count} training and {data.Validation.Count} validation examples from {data.Source}");
        result = RecoveryFineTuner.Recover(directory, data, WithSchedule(options, data), field, Checkpoints(index, "prune"), new TrainingProgressLines($"step {index} recovery", observer.Say), cancellationToken);
        return string.Create(CultureInfo.InvariantCulture,
            $"recovery fine-tune: {result.Step} steps{(result.ResumedFromStep is { } from ? $" (resumed at step {from})" : "")}, train loss {result.FinalTrainLoss:F4}, validation loss {(result.FinalValidationLoss is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "not measured")}");
    }

    private static IReadOnlyDictionary<string, double> WithRecovery(IReadOnlyDictionary<string, double> metrics, TrainingResult? recovered)
    {
        if (recovered is null)
        {
            return metrics;
        }
        var all = new Dictionary<string, double>(metrics) { ["recoverySteps"] = recovered.Step };
        if (recovered.FinalTrainLoss is { } train && double.IsFinite(train))
        {
            all["recoveryTrainLoss"] = Math.Round(train, 6);
        }
        if (recovered.FinalValidationLoss is { } validation && double.IsFinite(validation))
        {
            all["recoveryValidationLoss"] = Math.Round(validation, 6);
        }
        return all;
    }

    // About ten validation passes and checkpoints per run, so a killed run loses at most a tenth of it.
    private static TrainingOptions WithSchedule(TrainingOptions options, StepTrainingData data)
    {
        var total = TrainingPlan.Create(data.Train.Count, options).TotalSteps;
        var every = (int)Math.Max(1, total / 10);
        return options with { EvaluateEverySteps = every, CheckpointEverySteps = every };
    }

    private ICheckpointStore Checkpoints(int index, string name) =>
        CheckpointStores?.Invoke(index, name) ?? new LocalDirectoryCheckpointStore(Path.Combine(CheckpointDirectory ?? Path.Combine(workDirectory, "checkpoints"), string.Create(CultureInfo.InvariantCulture, $"step{index}-{name}")));
}
