using System.Diagnostics;
using System.Text.Json;
using Whetstone.ML.Models;
using Whetstone.ML.Safetensors;

namespace Whetstone.ModelRuntime.Tests.TorchSharp;

public sealed class TorchLanguageModelRunnerTest : IClassFixture<TinyModelFixture>
{
    private readonly ILanguageModelRunner _runner;

    public TorchLanguageModelRunnerTest(TinyModelFixture fixture)
    {
        _runner = fixture.Runner;
    }

    private static readonly string[] Questions =
    [
        "Where is my order?", "How do I reset my password", "Can I change the delivery address after paying for it?",
        "refund", "The app crashes when I open settings", "Do you ship to Norway?", "What are your opening hours",
        "I was charged twice for one subscription and would like one charge back", "hello", "Is there a student discount?",
        "Cancel my account please", "How long does shipping take to Spain?", "My parcel arrived damaged",
        "Which payment methods do you accept?", "Where can I find my invoice", "Thanks!",
    ];

    private List<ContinuationRequest> Requests() =>
    [
        .. Questions.Select((q, i) => new ContinuationRequest(
            [.. _runner.Tokenizer.Encode(q, addBos: true).Select(id => (long)id)],
            [.. _runner.Tokenizer.Encode(i % 2 == 0 ? " Our support team will help you." : " Yes.").Select(id => (long)id)])),
    ];

    [Fact]
    public void Loading_the_shipped_model_chooses_torchsharp_and_describes_it()
    {
        Assert.Equal(RuntimeBackend.TorchSharp, _runner.Description.Backend);
        Assert.Equal(ModelKind.LanguageModel, _runner.Description.Kind);
        Assert.Equal(new FileInfo(Path.Combine(RepositoryFiles.TinyModel, "model.safetensors")).Length, _runner.Description.WeightBytes);
        Assert.InRange(_runner.Description.Parameters, 800_000, 950_000);
    }

    [Fact]
    public void Scores_at_batch_1_and_batch_16_agree_to_1e5()
    {
        var requests = Requests();

        var single = _runner.ScoreContinuations(requests, batchSize: 1);
        var batched = _runner.ScoreContinuations(requests, batchSize: 16);

        for (var i = 0; i < requests.Count; i++)
        {
            Assert.Equal(requests[i].Continuation.Count, batched[i].TokenLogProbabilities.Count);
            for (var t = 0; t < requests[i].Continuation.Count; t++)
            {
                Assert.True(
                    Math.Abs(single[i].TokenLogProbabilities[t] - batched[i].TokenLogProbabilities[t]) < 1e-5,
                    $"request {i} token {t}: {single[i].TokenLogProbabilities[t]} alone vs {batched[i].TokenLogProbabilities[t]} in a batch");
            }
        }
    }

    [Fact]
    public void Right_padded_logits_equal_the_unpadded_ones()
    {
        var sequences = Requests().Take(5).Select(r => (IReadOnlyList<long>)r.Context).ToList();

        var alone = sequences.Select(s => _runner.ComputeLogits([s], batchSize: 1)[0]).ToList();
        var together = _runner.ComputeLogits(sequences, batchSize: 5);

        for (var i = 0; i < sequences.Count; i++)
        {
            Assert.Equal(sequences[i].Count * _runner.VocabularySize, together[i].Length);
            var worst = alone[i].Zip(together[i], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst < 1e-4, $"sequence {i}: max difference {worst}");
        }
    }

    [Fact]
    public void Log_likelihoods_equal_a_direct_pytorch_computation()
    {
        // Two requests of the same total length, so the reference needs no padding.
        var requests = Requests().Where(r => r.Context.Count + r.Continuation.Count == Requests()[0].Context.Count + Requests()[0].Continuation.Count).Take(2).ToList();
        Assert.NotEmpty(requests);
        using var work = new TemporaryDirectory();
        var inputs = requests.Select(r => r.Context.Concat(r.Continuation).ToArray()).ToArray();
        File.WriteAllText(work.File("input.json"), JsonSerializer.Serialize(new { input_ids = inputs, attention_mask = (long[][]?)null }));
        RunPython(RepositoryFiles.LlamaReferenceScript, RepositoryFiles.TinyModel, work.File("input.json"), work.File("logits.safetensors"));
        using var reader = SafetensorsReader.Open(work.File("logits.safetensors"));
        using var logits = reader.ReadTensor("logits");
        var vocabulary = (int)logits.shape[2];
        var values = logits.contiguous().data<float>().ToArray();

        var scores = _runner.ScoreContinuations(requests);

        for (var row = 0; row < requests.Count; row++)
        {
            var width = inputs[row].Length;
            for (var t = 0; t < requests[row].Continuation.Count; t++)
            {
                var position = requests[row].Context.Count - 1 + t;
                var span = values.AsSpan((row * width + position) * vocabulary, vocabulary);
                var expected = LogSoftmax(span, (int)requests[row].Continuation[t]);
                Assert.True(Math.Abs(expected - scores[row].TokenLogProbabilities[t]) < 1e-4,
                    $"row {row} token {t}: pytorch {expected}, ours {scores[row].TokenLogProbabilities[t]}");
            }
        }
    }

    [Fact]
    public void Cached_and_uncached_greedy_generation_give_the_same_tokens()
    {
        var prompt = Requests()[1].Context;

        var cached = _runner.Generate([prompt], new SamplingOptions(MaxNewTokens: 24));
        var uncached = _runner.Generate([prompt], new SamplingOptions(MaxNewTokens: 24, UseCache: false));

        Assert.Equal(24, cached[0].TokenIds.Count);
        Assert.Equal(cached[0].TokenIds, uncached[0].TokenIds);
        Assert.Equal("length", cached[0].FinishReason);
    }

    [Fact]
    public void Prompts_generated_together_give_the_tokens_they_give_alone()
    {
        var prompts = Requests().Take(4).Select(r => r.Context).ToList();
        var options = new SamplingOptions(MaxNewTokens: 16, StopTokenIds: [_runner.Tokenizer.EosId]);

        var together = _runner.Generate(prompts, options);

        for (var i = 0; i < prompts.Count; i++)
        {
            var alone = _runner.Generate([prompts[i]], options)[0];
            Assert.Equal(alone.TokenIds, together[i].TokenIds);
            Assert.Equal(alone.Text, together[i].Text);
        }
    }

    [Fact]
    public void Seeded_sampling_repeats_and_follows_the_seed()
    {
        var prompt = Requests()[0].Context;
        GenerationResult Sample(ulong seed) => _runner.Generate([prompt], new SamplingOptions(MaxNewTokens: 20, Temperature: 1.5, Seed: seed))[0];

        Assert.Equal(Sample(5).TokenIds, Sample(5).TokenIds);
        Assert.NotEqual(Sample(5).TokenIds, Sample(6).TokenIds);
    }

    [Fact]
    public void A_stop_sequence_cuts_the_text_before_it_and_ends_the_sequence()
    {
        var prompt = Requests()[2].Context;
        var free = _runner.Generate([prompt], new SamplingOptions(MaxNewTokens: 30))[0];
        Assert.True(free.Text.Length > 6, $"the tiny model produced only '{free.Text}'");
        var stop = free.Text.Substring(free.Text.Length / 2, 3);
        var expectedText = free.Text[..free.Text.IndexOf(stop, StringComparison.Ordinal)];

        var stopped = _runner.Generate([prompt], new SamplingOptions(MaxNewTokens: 30, StopSequences: [stop]))[0];

        Assert.Equal(expectedText, stopped.Text);
        Assert.Equal("stop", stopped.FinishReason);
        Assert.True(stopped.TokenIds.Count < free.TokenIds.Count);
    }

    [Fact]
    public void A_truncated_weights_file_is_a_model_format_error_naming_the_directory()
    {
        using var broken = new TemporaryDirectory();
        foreach (var file in Directory.GetFiles(RepositoryFiles.TinyModel))
        {
            File.Copy(file, Path.Combine(broken.Path, Path.GetFileName(file)));
        }
        var weights = Path.Combine(broken.Path, "model.safetensors");
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<ModelFormatException>(() => ModelLoader.Load(broken.Path, new RuntimeOptions(Threads: 1)));
        Assert.Contains(broken.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_without_model_files_is_refused_before_any_work()
    {
        using var empty = new TemporaryDirectory();

        var error = Assert.Throws<ModelFormatException>(() => ModelLoader.Load(empty.Path));
        Assert.Contains("config.json", error.Message, StringComparison.Ordinal);
    }

    private static double LogSoftmax(ReadOnlySpan<float> logits, int target)
    {
        var max = double.NegativeInfinity;
        foreach (var value in logits)
        {
            max = Math.Max(max, value);
        }
        var sum = 0.0;
        foreach (var value in logits)
        {
            sum += Math.Exp(value - max);
        }
        return logits[target] - max - Math.Log(sum);
    }

    private static void RunPython(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "the PyTorch reference did not finish in 3 minutes");
        Assert.True(process.ExitCode == 0, $"the PyTorch reference failed: {errors.Result}{output.Result}");
    }
}
