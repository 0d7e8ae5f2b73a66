using System.Text;
using System.Text.RegularExpressions;
using Whetstone.Datasets;
using Whetstone.Datasets.Overlap;
using Whetstone.Datasets.Preprocessing;
using Whetstone.Datasets.Records;
using Whetstone.Datasets.Splitting;
using Whetstone.Evaluation.Benchmarks;

namespace Whetstone.Worker.Tests.FineTuning;

/// <summary>
/// The data of examples/pipeline/ keeps evaluation apart from training: the domain questions the EvaluationRun scores
/// are the held-out split of the 400 generated support questions, the FineTuneJob's file holds the rest of them plus
/// general questions replayed against forgetting, and none of its records is (near) a copy of an evaluated question.
/// </summary>
public sealed partial class PipelineDatasetsTest
{
    private const string SupportFile = "support-multiple-choice-400.jsonl";
    private const string HoldoutFile = "support-multiple-choice-holdout.jsonl";
    private const string TrainingFile = "support-multiple-choice-train.jsonl";
    private const string GeneralFile = "general-mc.jsonl";

    private static readonly PreprocessingOptions PipelinePreprocessing = new()
    {
        Deduplicate = DeduplicationMode.Near,
        RedactPii = [PiiKind.Email, PiiKind.Phone, PiiKind.IdNumber],
        BlockedTerms = ["password"],
    };

    [Fact]
    public void Held_out_domain_questions_are_the_prepared_test_split_of_the_400_support_questions()
    {
        var prepared = DatasetPreparer.PrepareFile(Dataset(SupportFile), new DatasetPreparationOptions(DatasetFormat.MultipleChoice)
        {
            Preprocessing = PipelinePreprocessing,
            Split = new SplitOptions { Train = 0.65, Validation = 0.1, Test = 0.25, Seed = 42 },
        });
        using var expected = new MemoryStream();
        prepared.Test.WriteJsonl(expected);

        Assert.Equal(88, prepared.Test.Records.Count);
        Assert.Equal(Encoding.UTF8.GetString(expected.ToArray()), File.ReadAllText(Dataset(HoldoutFile)));
    }

    [Fact]
    public void Training_file_has_no_near_copy_of_a_held_out_or_general_evaluation_question()
    {
        var prepared = DatasetPreparer.PrepareFile(Dataset(TrainingFile), new DatasetPreparationOptions(DatasetFormat.MultipleChoice)
        {
            Preprocessing = PipelinePreprocessing,
            Split = new SplitOptions { Train = 0.8, Validation = 0.1, Test = 0.1, Seed = 42 },
        });
        var training = prepared.Splits.SelectMany(split => split.Records).ToList();
        var holdout = Read(HoldoutFile);
        var general = Read(GeneralFile);

        Assert.True(training.Count > 400, $"only {training.Count} training records survive preparation");
        Assert.Equal(0, TrainTestOverlap.Measure(training, holdout).Overlapping);
        Assert.Equal(0, TrainTestOverlap.Measure(training, general).Overlapping);
        var evaluated = holdout.Concat(general).Select(record => Normalized(((MultipleChoiceRecord)record).Question)).ToHashSet();
        Assert.DoesNotContain(training, record => evaluated.Contains(Normalized(((MultipleChoiceRecord)record).Question)));
    }

    [Fact]
    public void Replayed_general_questions_are_the_generated_ones_left_out_of_general_mc()
    {
        var evaluated = Read(GeneralFile).Select(record => ((MultipleChoiceRecord)record).Question).ToHashSet(StringComparer.Ordinal);
        var leftOut = new GeneralBenchmarkGenerator(seed: 11).Generate(1500).Where(item => !evaluated.Contains(item.Question)).ToList();
        var support = Read(SupportFile).Select(record => ((MultipleChoiceRecord)record).Question).ToHashSet(StringComparer.Ordinal);
        var generalInTraining = Read(TrainingFile).Cast<MultipleChoiceRecord>().Where(record => !support.Contains(record.Question)).ToList();

        Assert.Equal(192, leftOut.Count);
        Assert.Equal(leftOut.Count, generalInTraining.Count);
        Assert.Equal(
            leftOut.Select(item => (item.Question, string.Join('|', item.Choices), item.Answer)),
            generalInTraining.Select(record => (record.Question, string.Join('|', record.Choices), record.Answer)));
    }

    private static List<DatasetRecord> Read(string name) => DatasetReader.ReadFile(Dataset(name), DatasetFormat.MultipleChoice).ToList();

    private static string Normalized(string text) => NonWord().Replace(text.ToLowerInvariant(), " ").Trim();

    private static string Dataset(string name) => Path.Combine(RepositoryFiles.Root, "examples", "datasets", name);

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonWord();
}
