using System.Diagnostics;
using System.Globalization;
using Whetstone.Compression.Alignment;
using Whetstone.ML.Benchmarks;
using Whetstone.ML.Classifiers;
using Whetstone.ML.Corpus;
using Whetstone.ML.Models.Pretraining;
using Whetstone.ML.Tokenization;
using Whetstone.ML.Training;

namespace Whetstone.Compression.Bench;

/// <summary>
/// What the benchmark compresses and scores, made on first use under the work directory and reused afterwards: the
/// bench Llama (pre-trained for a few steps on the generated English corpus, so perplexity means something), held-out
/// corpus texts it never saw (alignment), other fresh texts (static calibration) and training documents (recovery,
/// distillation); the digits classifier with its test rows (alignment) and training rows (calibration) as CSV files.
/// </summary>
internal sealed record BenchInputs(
    string Llama,
    EvaluationSet LlamaEvaluation,
    EvaluationSet LlamaCalibration,
    StepTrainingData LlamaTraining,
    string Digits,
    EvaluationSet DigitsEvaluation,
    EvaluationSet DigitsCalibration)
{
    // Seeds of the generated corpora: the model is pre-trained on seed 1's documents; these are other documents.
    private const int EvaluationSeed = 101;
    private const int CalibrationSeed = 202;
    private const int TrainingSeed = 303;

    /// <summary>Builds or reuses every input under <paramref name="work"/>.</summary>
    public static BenchInputs Prepare(string work, BenchSettings settings, string digitsCsv)
    {
        var llama = Path.Combine(work, $"llama-{settings.Size}-{settings.PretrainSteps}");
        if (!File.Exists(Path.Combine(llama, BaseModelBuilder.ReportFileName)))
        {
            var clock = Stopwatch.StartNew();
            var size = BenchBaseModel.GetSize(settings.Size);
            var recipe = size with { Training = size.Training with { Steps = settings.PretrainSteps } };
            var report = BaseModelBuilder.Build(llama, recipe, seed: 1);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"built the {settings.Size} Llama: {report.Parameters:N0} parameters, {settings.PretrainSteps} pre-training steps, held-out loss {report.HeldOutLossBefore:F3} -> {report.HeldOutLossAfter:F3}, in {clock.Elapsed.TotalSeconds:F0} s"));
        }
        var tokenizer = ChatTokenizer.Load(llama);
        var evaluation = TextSet(work, "llama-evaluation.jsonl", EvaluationSeed, settings.EvaluationTexts);
        var calibration = TextSet(work, "llama-calibration.jsonl", CalibrationSeed, 32);
        var documents = new EnglishCorpusGenerator(TrainingSeed).Generate(settings.TrainingDocuments + 32)
            .Select(text => TrainingExample.AllTokens([tokenizer.BosId, .. tokenizer.Encode(text), tokenizer.EosId]))
            .ToList();
        var training = new StepTrainingData(documents[..settings.TrainingDocuments], documents[settings.TrainingDocuments..], $"corpus documents (seed {TrainingSeed})");

        var digits = Path.Combine(work, "digits-classifier");
        var table = LabelledTable.ReadCsv(digitsCsv);
        var options = ClassifierTrainingOptions.Default with { Seed = 1 };
        if (!File.Exists(Path.Combine(digits, "model.safetensors")))
        {
            var trained = ClassifierTrainer.Train(table, options);
            using var model = trained.Model;
            model.Save(digits);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained the digits classifier: test accuracy {trained.Test.Accuracy:P1}, {trained.EpochsRun} epochs"));
        }
        // The trainer's own split (seeded, stratified): the same test rows it reported its accuracy on.
        var split = DatasetSplit.Stratified(table.Classes, options.ValidationFraction, options.TestFraction, options.Seed);
        var digitsTest = WriteCsv(table.Subset(split.Test), Path.Combine(work, "digits-test.csv"));
        var digitsTrain = WriteCsv(table.Subset(split.Train), Path.Combine(work, "digits-train.csv"));
        return new BenchInputs(llama, evaluation, calibration, training, digits,
            EvaluationSet.Read(digitsTest, null, maxRecords: 10_000), EvaluationSet.Read(digitsTrain, null, maxRecords: 500));
    }

    private static EvaluationSet TextSet(string work, string name, int seed, int count)
    {
        var path = Path.Combine(work, name);
        var lines = new EnglishCorpusGenerator(seed).Generate(count)
            .Select(text => System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["text"] = text }));
        File.WriteAllLines(path, lines);
        return EvaluationSet.Read(path, Whetstone.Datasets.DatasetFormat.Text, maxRecords: count);
    }

    private static string WriteCsv(LabelledTable table, string path)
    {
        var lines = new List<string> { string.Join(",", table.FeatureNames.Append("label")) };
        lines.AddRange(table.Features.Select((row, i) => string.Join(",", row.Select(v => v.ToString(CultureInfo.InvariantCulture)).Append(table.Labels[table.Classes[i]]))));
        File.WriteAllLines(path, lines);
        return path;
    }
}
