using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Whetstone.ML.Corpus;
using Whetstone.ML.Runtime;
using Whetstone.ML.Tokenization;
using static TorchSharp.torch;

namespace Whetstone.ML.Models.Pretraining;

/// <summary>
/// Makes a small base model from nothing: generates the English corpus, trains a byte-level BPE tokenizer on
/// it, pre-trains a Llama model, and writes the Hugging Face directory plus a README and a JSON report.
/// Deterministic for a seed (up to floating-point reduction order across thread counts).
/// </summary>
public static class BaseModelBuilder
{
    /// <summary>File name of the JSON report.</summary>
    public const string ReportFileName = "whetstone-base-model.json";

    // Named literals: a build with --steps 0 has no training losses, so its first and last step losses are NaN.
    private static readonly JsonSerializerOptions ReportJson = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    // One document in this many goes to the held-out set that measures whether the model learned.
    private const int HeldOutEvery = 20;

    /// <summary>Builds the model into <paramref name="outputDirectory"/> and returns the report.</summary>
    public static BaseModelReport Build(string outputDirectory, BaseModelSize size, int seed,
        IProgress<PretrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(size);
        var threads = TorchRuntime.ConfigureThreads();
        var documents = new EnglishCorpusGenerator(seed).Generate(size.CorpusDocuments).ToList();
        var tokenizer = ChatTokenizer.Create(ByteLevelBpeTrainer.Train(documents, size.VocabularySize, ChatSpecialTokens.All));
        var training = Tokenize(tokenizer, documents.Where((_, i) => i % HeldOutEvery != 0));
        var heldOut = Tokenize(tokenizer, documents.Where((_, i) => i % HeldOutEvery == 0));
        var config = size.Architecture with
        {
            VocabSize = tokenizer.VocabularySize,
            BosTokenId = tokenizer.BosId,
            EosTokenId = tokenizer.EosId,
            PadTokenId = tokenizer.PadId,
        };
        manual_seed(seed);
        using var model = new LlamaForCausalLM(config);
        model.InitializeWeights();
        var options = size.Training with { Seed = seed };
        var result = CausalLanguageModelPretrainer.Train(model, training, heldOut, options, progress, cancellationToken);

        // Not disposed here: the model belongs to the using above.
        var language = new LanguageModel(model, tokenizer);
        language.Save(outputDirectory);
        var report = CreateReport(size, seed, model, documents.Count, training.Count, options, result, FactQuiz.Accuracy(language), threads);
        File.WriteAllText(Path.Combine(outputDirectory, ReportFileName), JsonSerializer.Serialize(report, ReportJson) + "\n");
        File.WriteAllText(Path.Combine(outputDirectory, "README.md"), DescribeModel(report, config));
        return report;
    }

    /// <summary>Documents as one token stream, each wrapped in beginning- and end-of-sequence tokens.</summary>
    public static TokenStream Tokenize(ChatTokenizer tokenizer, IEnumerable<string> documents)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var tokens = new List<int>();
        foreach (var document in documents)
        {
            tokens.Add(tokenizer.BosId);
            tokens.AddRange(tokenizer.Encode(document));
            tokens.Add(tokenizer.EosId);
        }
        return new TokenStream(tokens);
    }

    private static BaseModelReport CreateReport(BaseModelSize size, int seed, LlamaForCausalLM model, int documents, int corpusTokens,
        PretrainingOptions options, PretrainingResult result, double factAccuracy, int threads)
    {
        var tail = result.StepLosses.TakeLast(Math.Max(1, result.StepLosses.Count / 10)).ToList();
        return new BaseModelReport(
            size.Name,
            seed,
            model.parameters().Sum(p => p.numel()),
            model.Config.VocabSize,
            documents,
            corpusTokens,
            options.Steps,
            options.SequenceLength,
            options.BatchSize,
            options.LearningRate,
            Math.Round(result.StepLosses.Count > 0 ? result.StepLosses[0] : double.NaN, 4),
            Math.Round(tail.Count > 0 ? tail.Average() : double.NaN, 4),
            Math.Round(result.HeldOutLossBefore, 4),
            Math.Round(result.HeldOutLossAfter, 4),
            Math.Round(result.Duration.TotalSeconds, 1),
            Math.Round(factAccuracy, 3),
            threads,
            $"whetstone-worker model create --output <dir> --size {size.Name} --seed {seed}");
    }

    private static string DescribeModel(BaseModelReport report, LlamaConfig config)
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"# Whetstone base model ({report.Size})");
        text.AppendLine();
        text.AppendLine("A small Llama-architecture causal language model made from scratch by Whetstone, for tests,");
        text.AppendLine("demos and fine-tuning experiments. It knows only the generated English corpus it was trained on:");
        text.AppendLine("everyday stories (kitchen, weather, travel, shopping, garden, pets, school, work, sport), a fixed set");
        text.AppendLine("of simple facts, and question/answer pairs. It is not a useful assistant.");
        text.AppendLine();
        text.AppendLine("Recreate it with:");
        text.AppendLine();
        text.AppendLine("```");
        text.AppendLine(report.Command);
        text.AppendLine("```");
        text.AppendLine();
        text.AppendLine("(from a clone of the repository: `dotnet run --project worker/Whetstone.Worker -- model create ...`).");
        text.AppendLine("A run repeats exactly for the same seed and torch thread count (set `WHETSTONE_TORCH_THREADS`);");
        text.AppendLine(culture, $"this one used {report.TorchThreads}. Other thread counts change floating-point summation order, so the");
        text.AppendLine("weights differ slightly while the figures below stay close.");
        text.AppendLine();
        text.AppendLine("| | |");
        text.AppendLine("|---|---|");
        text.AppendLine(culture, $"| parameters | {report.Parameters:N0} |");
        text.AppendLine(culture, $"| layers / hidden / heads (key-value heads) | {config.NumHiddenLayers} / {config.HiddenSize} / {config.NumAttentionHeads} ({config.KeyValueHeads}) |");
        text.AppendLine(culture, $"| vocabulary (byte-level BPE) | {report.VocabularySize} |");
        text.AppendLine(culture, $"| corpus | {report.CorpusDocuments} documents, {report.CorpusTokens:N0} training tokens |");
        text.AppendLine(culture, $"| pre-training | {report.Steps} steps x {report.BatchSize} x {report.SequenceLength} tokens, AdamW lr {report.LearningRate} |");
        text.AppendLine(culture, $"| held-out loss | {report.HeldOutLossBefore} before, {report.HeldOutLossAfter} after |");
        text.AppendLine(culture, $"| training time | {report.TrainingSeconds} s |");
        text.AppendLine(culture, $"| corpus facts answered (4-way multiple choice by likelihood) | {report.FactAccuracy:P0} |");
        text.AppendLine();
        text.AppendLine("Chat format: `<|bos|><|user|>question<|eos|><|assistant|>answer<|eos|>` (see tokenizer_config.json).");
        return text.ToString();
    }
}
