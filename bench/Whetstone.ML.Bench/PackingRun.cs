using System.Globalization;
using System.Text.Json;
using TorchSharp;
using Whetstone.ML.Lora;
using Whetstone.ML.Models;
using Whetstone.ML.Tokenization;
using Whetstone.ML.Training;

namespace Whetstone.ML.Bench;

/// <summary>
/// Padding against sequence packing on the shipped chat data (examples/datasets/support-chat.jsonl, tokenized with
/// the example model's tokenizer): the same LoRA run (same examples in the same order per step) once with each
/// collator, reporting real tokens per second, the positions each computes, and the per-step losses side by side.
/// </summary>
internal static class PackingRun
{
    public static void Run(string repositoryRoot, int steps, int threads, int batchSize)
    {
        torch.set_num_threads(threads);
        var tokenizer = ChatTokenizer.Load(Path.Combine(repositoryRoot, "examples", "models", "tiny-llama"));
        var examples = File.ReadLines(Path.Combine(repositoryRoot, "examples", "datasets", "support-chat.jsonl"))
            .Where(line => !string.IsNullOrWhiteSpace(line))
            .Select(line => Tokenize(tokenizer, line))
            .ToList();
        var config = BenchModelSize.Find("large").Config with { VocabSize = tokenizer.VocabularySize };
        const int maxSequenceLength = 512;
        var lengths = examples.Select(e => Math.Min(e.InputIds.Length, maxSequenceLength)).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Chat data: {examples.Count} examples, tokens per example min {lengths.Min()} / mean {lengths.Average():F0} / max {lengths.Max()}; model {config.HiddenSize} hidden × {config.NumHiddenLayers} layers, LoRA q_proj+v_proj rank 8, batch {batchSize} examples, {steps} steps, {threads} thread(s)."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Positions computed per {batchSize}-example batch (file order): padding {Positions(examples, batchSize, pack: false, maxSequenceLength):F0}, packing {Positions(examples, batchSize, pack: true, maxSequenceLength):F0}, real tokens {examples.Take(examples.Count / batchSize * batchSize).Sum(e => e.InputIds.Length) / (double)(examples.Count / batchSize):F0}."));
        var padded = Train(config, examples, steps, batchSize, maxSequenceLength, pack: false);
        var packed = Train(config, examples, steps, batchSize, maxSequenceLength, pack: true);
        var worst = padded.Losses.Zip(packed.Losses).Max(pair => Math.Abs(pair.First - pair.Second));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"collator",-8} {"tok/s",8} {"s/step",8}  losses per step"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"padding",-8} {padded.TokensPerSecond,8:F0} {padded.SecondsPerStep,8:F2}  {string.Join(' ', padded.Losses.Select(l => l.ToString("F4", CultureInfo.InvariantCulture)))}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"packing",-8} {packed.TokensPerSecond,8:F0} {packed.SecondsPerStep,8:F2}  {string.Join(' ', packed.Losses.Select(l => l.ToString("F4", CultureInfo.InvariantCulture)))}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"packing/padding tokens/s: {packed.TokensPerSecond / padded.TokensPerSecond:F2}×; largest per-step loss difference {worst:E1}"));
    }

    private static (double TokensPerSecond, double SecondsPerStep, List<double> Losses) Train(
        LlamaConfig config, List<TrainingExample> examples, int steps, int batchSize, int maxSequenceLength, bool pack)
    {
        torch.manual_seed(1);
        var model = new LlamaForCausalLM(config);
        model.InitializeWeights();
        LoraInjector.Inject(model, CSharpTrainingRun.BenchLora with { Dropout = 0 });
        var options = new TrainingOptions
        {
            MaxSteps = steps,
            BatchSize = batchSize,
            LearningRate = 1e-3,
            LearningRateSchedule = LearningRateScheduleKind.Constant,
            MaxSequenceLength = maxSequenceLength,
            EvaluateEverySteps = 0,
            CheckpointEverySteps = 0,
            EarlyStopping = null,
            Divergence = null,
            PackSequences = pack,
        };
        var result = new Trainer(options).TrainAsync(model, examples, [], CancellationToken.None).GetAwaiter().GetResult();
        return (result.TokensPerSecond, result.WallSeconds / steps, [.. result.LossCurve.Where(p => p.TrainLoss is not null).Select(p => p.TrainLoss!.Value)]);
    }

    private static double Positions(List<TrainingExample> examples, int batchSize, bool pack, int maxSequenceLength)
    {
        var batches = examples.Chunk(batchSize).Where(b => b.Length == batchSize).ToList();
        return batches.Average(batch =>
        {
            var longest = batch.Max(e => Math.Min(e.InputIds.Length, maxSequenceLength));
            var rows = pack ? new PackingCollator(0, maxSequenceLength).Place(batch).Max(p => p.Row) + 1 : batch.Length;
            return (double)rows * longest;
        });
    }

    /// <summary>A chat record as the worker trains on it: bos, then per message its role marker and content with an end token; loss on the assistant's tokens.</summary>
    private static TrainingExample Tokenize(ChatTokenizer tokenizer, string line)
    {
        using var record = JsonDocument.Parse(line);
        var ids = new List<int> { tokenizer.BosId };
        var targets = new List<bool> { false };
        foreach (var message in record.RootElement.GetProperty("messages").EnumerateArray())
        {
            var role = message.GetProperty("role").GetString()!;
            var marker = tokenizer.Encode(ChatSpecialTokens.ForRole(role));
            int[] content = [.. tokenizer.Encode(message.GetProperty("content").GetString()!), tokenizer.EosId];
            ids.AddRange(marker);
            ids.AddRange(content);
            targets.AddRange(marker.Select(_ => false));
            targets.AddRange(content.Select(_ => role == "assistant"));
        }

        return new TrainingExample([.. ids], [.. targets]);
    }
}
