using Whetstone.ModelRuntime.Generation;
using Whetstone.ModelRuntime.Sampling;
using Whetstone.ModelRuntime.Tests.Onnx;
using Whetstone.ModelRuntime.Tests.TorchSharp;

namespace Whetstone.ModelRuntime.Tests.Generation;

/// <summary>Continuous batching on the TorchSharp backend: rows that join a running decode behave as if alone.</summary>
public sealed class TorchContinuousBatchTest(TinyModelFixture fixture)
    : ContinuousBatchTest((IContinuousBatchingRunner)fixture.Runner), IClassFixture<TinyModelFixture>;

/// <summary>
/// The same on ONNX Runtime, with the committed tiny model exported with past key/value inputs: an admitted row's
/// keys and values join the running ones, left-padded, and positions come from the attention mask.
/// </summary>
public sealed class OnnxContinuousBatchTest(ExportedModels models)
    : ContinuousBatchTest((IContinuousBatchingRunner)ModelLoader.LoadLanguageModel(models.TinyOnnx, new RuntimeOptions(Threads: 1))),
        IClassFixture<ExportedModels>, IDisposable
{
    [Fact]
    public void A_graph_exported_with_past_inputs_admits_sequences()
    {
        Assert.IsType<Whetstone.ModelRuntime.Onnx.OnnxLanguageModelRunner>(Runner);
        Assert.True(Runner.SupportsAdmission);
    }

    public void Dispose() => Runner.Dispose();
}

/// <summary>Rows that join a running decode behave as if alone, on whichever backend the subclass gives.</summary>
public abstract class ContinuousBatchTest(IContinuousBatchingRunner runner)
{
    private const float LogitTolerance = 1e-4f;

    private readonly IContinuousBatchingRunner _runner = runner;

    protected IContinuousBatchingRunner Runner => _runner;

    private long[] Encode(string text) => [.. _runner.Tokenizer.Encode(text, addBos: true).Select(id => (long)id)];

    [Fact]
    public void Logits_of_rows_admitted_mid_decode_equal_their_logits_alone_within_1e4()
    {
        var shortPrompt = Encode("Hello");
        var longPrompt = Encode("I was charged twice for one subscription and would like one charge back, please help");
        var middlePrompt = Encode("Where is my order?");
        Assert.True(longPrompt.Length > shortPrompt.Length + 4, "the long prompt must be wider than the running batch when it joins");
        var alone = new[] { shortPrompt, longPrompt, middlePrompt }.Select(AloneLogits).ToArray();

        using var decoding = _runner.StartAdmittingDecoding();
        AssertClose(alone[0][0], decoding.Start([shortPrompt])[0], "short, prefill");
        for (var step = 1; step <= 3; step++)
        {
            AssertClose(alone[0][step], decoding.Continue([0], [Greedy(alone[0][step - 1])])[0], $"short, step {step}");
        }
        // The long prompt is wider than the running batch (the running rows are padded), the middle one narrower.
        AssertClose(alone[1][0], decoding.Admit([longPrompt])[0], "long, admitted at step 4");
        var both = decoding.Continue([0, 1], [Greedy(alone[0][3]), Greedy(alone[1][0])]);
        AssertClose(alone[0][4], both[0], "short, first shared step");
        AssertClose(alone[1][1], both[1], "long, first shared step");
        AssertClose(alone[2][0], decoding.Admit([middlePrompt])[0], "middle, admitted at step 5");
        var three = decoding.Continue([0, 1, 2], [Greedy(alone[0][4]), Greedy(alone[1][1]), Greedy(alone[2][0])]);
        AssertClose(alone[0][5], three[0], "short, three rows");
        AssertClose(alone[1][2], three[1], "long, three rows");
        AssertClose(alone[2][1], three[2], "middle, three rows");
        // The long row leaves: the columns only it used are dropped, the others keep their numbers.
        var afterLeaving = decoding.Continue([0, 2], [Greedy(alone[0][5]), Greedy(alone[2][1])]);
        AssertClose(alone[0][6], afterLeaving[0], "short, after the long row left");
        AssertClose(alone[2][2], afterLeaving[1], "middle, after the long row left");
    }

    [Fact]
    public void Greedy_rows_admitted_at_different_steps_give_the_tokens_they_give_alone()
    {
        var eos = _runner.Tokenizer.EosId;
        var schedule = new Dictionary<int, (string Prompt, SamplingOptions Options)[]>
        {
            [0] = [("The app crashes when I open settings", new(24, StopTokenIds: [eos])), ("refund", new(6))],
            [2] = [("Can I change the delivery address after paying for it, or is it too late now?", new(16))],
            [5] = [("hello", new(12, StopTokenIds: [eos])), ("Do you ship to Norway?", new(20, StopSequences: ["."]))],
            [9] = [("Thanks!", new(10))],
        };
        var rows = new List<DecodingRow>();
        var joinedRunningBatch = 0;
        using (var batch = new ContinuousBatch(_runner.StartAdmittingDecoding))
        {
            for (var step = 0; step <= schedule.Keys.Max() || batch.DecodingCount > 0; step++)
            {
                if (schedule.TryGetValue(step, out var arriving))
                {
                    joinedRunningBatch += batch.DecodingCount > 0 ? arriving.Length : 0;
                    var admitted = arriving.Select(a => new DecodingRow(Encode(a.Prompt), a.Options, _runner.Tokenizer)).ToList();
                    batch.Admit(admitted);
                    rows.AddRange(admitted);
                }
                batch.Step();
            }
        }

        Assert.Equal(4, joinedRunningBatch);
        foreach (var row in rows)
        {
            var alone = _runner.Generate([row.Prompt], row.Options)[0];
            Assert.Equal(alone.TokenIds, row.Result.TokenIds);
            Assert.Equal(alone.Text, row.Result.Text);
            Assert.Equal(alone.FinishReason, row.Result.FinishReason);
        }
    }

    [Fact]
    public void A_seeded_sampled_row_gives_the_same_tokens_alone_and_admitted_beside_other_rows()
    {
        var prompt = Encode("My parcel arrived damaged");
        var options = new SamplingOptions(20, Temperature: 1.2, TopP: 0.95, Seed: 11);
        var alone = _runner.Generate([prompt], options)[0];

        var sampled = new DecodingRow(prompt, options, _runner.Tokenizer);
        using (var batch = new ContinuousBatch(_runner.StartAdmittingDecoding))
        {
            batch.Admit([new DecodingRow(Encode("Which payment methods do you accept?"), new SamplingOptions(30), _runner.Tokenizer),
                new DecodingRow(Encode("hello"), options with { Seed = 12 }, _runner.Tokenizer)]);
            batch.Step();
            batch.Step();
            batch.Admit([sampled]);
            while (batch.Step().Count > 0)
            {
            }
        }

        Assert.Equal(alone.TokenIds, sampled.Result.TokenIds);
        Assert.NotEqual(_runner.Generate([prompt], options with { Seed = 12 })[0].TokenIds, sampled.Result.TokenIds);
    }

    [Fact]
    public void A_row_that_leaves_takes_no_further_part_and_the_others_finish_unchanged()
    {
        var staying = new DecodingRow(Encode("How long does shipping take to Spain?"), new SamplingOptions(16), _runner.Tokenizer);
        var leaving = new DecodingRow(Encode("Cancel my account please"), new SamplingOptions(16), _runner.Tokenizer);
        using (var batch = new ContinuousBatch(_runner.StartAdmittingDecoding))
        {
            batch.Admit([leaving, staying]);
            batch.Step();
            leaving.Leave();
            Assert.Equal([staying], batch.Step());
            while (batch.Step().Count > 0)
            {
            }
        }

        Assert.Equal(2, leaving.Result.TokenIds.Count);
        Assert.Equal(_runner.Generate([staying.Prompt], staying.Options)[0].TokenIds, staying.Result.TokenIds);
    }

    // Next-token logits of a prompt decoded alone and greedily: [0] after the prompt, [i] after i generated tokens.
    private float[][] AloneLogits(long[] prompt)
    {
        using var decoding = _runner.StartAdmittingDecoding();
        var logits = new List<float[]> { decoding.Start([prompt])[0] };
        for (var i = 1; i < 8; i++)
        {
            logits.Add(decoding.Continue([0], [Greedy(logits[^1])])[0]);
        }
        return [.. logits];
    }

    private static long Greedy(float[] logits) => TokenSampler.ArgMax(logits);

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var difference = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(difference <= LogitTolerance, $"{what}: logits differ by {difference} from the row decoded alone");
    }
}
