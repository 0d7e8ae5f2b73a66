using TorchSharp;
using Whetstone.Api.V1Alpha1;
using Whetstone.Compression.Alignment;
using Whetstone.Datasets;
using Whetstone.ML.Models;
using Whetstone.ML.Training;
using Xunit.Abstractions;

namespace Whetstone.Compression.Tests.Distillation;

/// <summary>The distill step and the prune step's recovery fine-tune inside <see cref="CompressionPipeline"/> on the committed tiny model.</summary>
public sealed class DistillPipelineIntegrationTest(ITestOutputHelper output)
{
    private static readonly TrainingOptions FewSteps = CompressionPipeline.DefaultTrainingOptions with { MaxSteps = 12, LearningRate = 3e-3, MaxSequenceLength = 128 };

    private static CompressionPlan Plan(params CompressionStep[] steps) => new(steps, "accuracy", 1.0, 0.0, Fallback: false, MaxFallbackTries: 4);

    private static EvaluationSet Questions() => EvaluationSet.Read(RepositoryFiles.MultipleChoice, DatasetFormat.MultipleChoice, maxRecords: 20);

    private static DatasetSource Records => new() { Uri = "file:///records.jsonl" };

    [Fact]
    public void A_student_larger_than_the_teacher_is_refused_before_any_work()
    {
        using var work = new TemporaryDirectory();
        var observer = new RecordingObserver(output);
        var step = new CompressionStep { Distill = new DistillStep { Student = new StudentArchitecture { Layers = 8, HiddenSize = 64 }, Dataset = Records } };
        var pipeline = new CompressionPipeline(Plan(step), Questions(), work.Path, observer) { TrainingData = new Dictionary<int, StepTrainingData> { [0] = CorpusExamples.Create(8, 0) } };

        var error = Assert.Throws<ArgumentException>(() => pipeline.Run(RepositoryFiles.TinyModel));

        Assert.Contains("spec.steps[0].distill.student.layers: 8 is larger than the teacher's num_hidden_layers (4)", error.Message, StringComparison.Ordinal);
        Assert.Empty(observer.Lines);
        Assert.Empty(Directory.GetFileSystemEntries(work.Path));
    }

    [Fact]
    public void A_distill_step_without_a_dataset_or_after_quantize_is_refused_naming_the_field()
    {
        var noDataset = Plan(new CompressionStep { Distill = new DistillStep { Student = new StudentArchitecture { Layers = 2 }, Dataset = new DatasetSource() } });
        var late = Plan(
            new CompressionStep { Quantize = new QuantizeStep { Type = "int8" } },
            new CompressionStep { Distill = new DistillStep { Student = new StudentArchitecture { Layers = 2 }, Dataset = Records } });
        var bothStudents = Plan(new CompressionStep { Distill = new DistillStep { Student = new StudentArchitecture { Layers = 2 }, StudentModel = new ModelSource { Uri = "file:///s/" }, Dataset = Records } });

        Assert.Contains(noDataset.Validate(), p => p.StartsWith("spec.steps[0].distill.dataset: required", StringComparison.Ordinal));
        Assert.Contains(late.Validate(), p => p.StartsWith("spec.steps[1].distill: distill must come before quantize", StringComparison.Ordinal));
        Assert.Contains(bothStudents.Validate(), p => p.StartsWith("spec.steps[0].distill: exactly one of student or studentModel", StringComparison.Ordinal));
    }

    [Fact]
    public void Distill_step_writes_a_smaller_student_and_reports_its_metrics()
    {
        using var work = new TemporaryDirectory();
        var step = new CompressionStep { Distill = new DistillStep { Student = new StudentArchitecture { Layers = 2, HiddenSize = 64 }, Dataset = Records, Temperature = 2, Alpha = 0.5 } };
        var pipeline = new CompressionPipeline(Plan(step), Questions(), work.Path, new RecordingObserver(output))
        {
            TrainingData = new Dictionary<int, StepTrainingData> { [0] = CorpusExamples.Create(48, 16) },
            TrainingOptions = FewSteps,
        };

        var outcome = pipeline.Run(RepositoryFiles.TinyModel);

        var distill = Assert.Single(outcome.Steps);
        output.WriteLine(distill.Note);
        Assert.Equal("distill", distill.Name);
        Assert.Equal(12, distill.Metrics["steps"]);
        Assert.Equal(2.0, distill.Metrics["epochs"], 3);
        Assert.Equal(869_504, distill.Metrics["teacherParameters"]);
        Assert.Equal(distill.Figures.Parameters, distill.Metrics["studentParameters"]);
        Assert.True(distill.Metrics["studentParameters"] < 869_504 / 2);
        Assert.True(distill.Metrics["distillLoss"] > 0);
        Assert.True(outcome.Compressed.SizeBytes < outcome.Original.SizeBytes / 2);
        Assert.True(Directory.Exists(Path.Combine(work.Path, "checkpoints", "step0-distill", "checkpoint-000000012")), "the last step's checkpoint is under the step's folder");
    }

    [Fact]
    public void Recovery_fine_tune_keeps_the_unstructured_zeros_and_lowers_the_pruned_models_loss()
    {
        using var work = new TemporaryDirectory();
        var data = CorpusExamples.Create(48, 24);
        var step = new CompressionStep { Prune = new PruneStep { Sparsity = 0.7, Recovery = new PruneRecovery { Dataset = Records, Steps = 12, LearningRate = 1e-3 } } };
        var pipeline = new CompressionPipeline(Plan(step), Questions(), work.Path, new RecordingObserver(output))
        {
            TrainingData = new Dictionary<int, StepTrainingData> { [0] = data },
            TrainingOptions = FewSteps with { MaxSteps = null },
        };
        var pruneOnly = new CompressionPipeline(Plan(new CompressionStep { Prune = new PruneStep { Sparsity = 0.7 } }), Questions(), Path.Combine(work.Path, "plain"), new RecordingObserver());

        var outcome = pipeline.Run(RepositoryFiles.TinyModel);
        var plain = pruneOnly.Run(RepositoryFiles.TinyModel);

        var prune = Assert.Single(outcome.Steps);
        output.WriteLine(prune.Note);
        Assert.Equal(0.7, prune.Metrics["sparsity"], 4);
        // Early stopping (the trainer's default patience) may end the 12 asked steps sooner.
        Assert.InRange(prune.Metrics["recoverySteps"], 6, 12);
        using var recovered = LlamaCheckpoint.Load(prune.Directory);
        using var pruned = LlamaCheckpoint.Load(plain.Steps[0].Directory);
        Assert.Equal(Zeros(pruned), Zeros(recovered));
        Assert.True(Zeros(recovered) > 0.69 * 737_280, $"{Zeros(recovered)} zeros");
        var trainer = new Trainer(FewSteps);
        var (before, after) = (trainer.EvaluateLoss(pruned, data.Validation)!.Value, trainer.EvaluateLoss(recovered, data.Validation)!.Value);
        output.WriteLine($"validation loss of the 70 % pruned model {before:F4}, after 12 recovery steps {after:F4}");
        Assert.True(after < before - 0.05, $"{after:F4} vs {before:F4}");
    }

    // Zeros of the decoder projections, at the same positions in both models when masks held.
    private static long Zeros(LlamaForCausalLM model) =>
        model.named_parameters().Where(p => Whetstone.Compression.Pruning.LlamaPruner.IsProjection(p.name)).Sum(p => p.parameter.eq(0).sum().ToInt64());
}
