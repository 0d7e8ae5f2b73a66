using Whetstone.ModelRuntime;
using Whetstone.Serving.Batching;
using Whetstone.Serving.Inference;

namespace Whetstone.Serving.Tests.Inference;

/// <summary>The continuous-batching scheduler over the shipped tiny Llama: rows join and leave between steps.</summary>
public sealed class DecodeSchedulerTest(TinyLanguageModelFixture model) : IClassFixture<TinyLanguageModelFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private GenerationResult Alone(GenerationWork work) => model.Runner.Generate([work.Prompt], work.Options)[0];

    [Fact]
    public async Task Requests_with_different_settings_admitted_at_different_steps_give_the_tokens_they_give_alone()
    {
        var eos = model.Runner.Tokenizer.EosId;
        GenerationWork[] second =
        [
            new(model.Encode("Can I change the delivery address after paying for it, or is it too late now?"), new SamplingOptions(16, StopTokenIds: [eos]), null),
            new(model.Encode("refund"), new SamplingOptions(6), null),
        ];
        GenerationWork[] later =
        [
            new(model.Encode("Do you ship to Norway?"), new SamplingOptions(20, StopSequences: ["."]), null),
            new(model.Encode("Thanks!"), new SamplingOptions(12, StopTokenIds: [eos]), null),
        ];
        var firstPrompt = model.Encode("Which payment methods do you accept?");
        var expected = new[] { new GenerationWork(firstPrompt, new SamplingOptions(40), null) }.Concat(second).Concat(later).Select(Alone).ToList();
        var observer = new RecordingBatchObserver();
        Task<BatchedResult<GenerationResult>>[] secondAnswers = [], laterAnswers = [];

        using (var scheduler = new DecodeScheduler(model.Runner, new BatchingOptions(8, TimeSpan.Zero, 16), observer))
        {
            // Submitted from the first request's streaming callback (the scheduler's thread): they join at known steps.
            var first = new GenerationWork(firstPrompt, new SamplingOptions(40), partial =>
            {
                if (partial.TokenIds.Count == 3)
                {
                    secondAnswers = [.. second.Select(work => scheduler.SubmitAsync(work, CancellationToken.None))];
                }
                else if (partial.TokenIds.Count == 10)
                {
                    laterAnswers = [.. later.Select(work => scheduler.SubmitAsync(work, CancellationToken.None))];
                }
            });
            var firstAnswer = await scheduler.SubmitAsync(first, CancellationToken.None).WaitAsync(Patience);
            // Each joined at most 30 steps in and asked for at most 20 tokens: all were answered before the first's 40th.
            Assert.All(secondAnswers.Concat(laterAnswers), answer => Assert.True(answer.IsCompleted, "a later request waited for the first one to finish"));
            var results = (await Task.WhenAll(secondAnswers.Concat(laterAnswers)).WaitAsync(Patience)).Prepend(firstAnswer).ToArray();

            Assert.Equal(expected.Count, results.Length);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].TokenIds, results[i].Value.TokenIds);
                Assert.Equal(expected[i].Text, results[i].Value.Text);
                Assert.Equal(expected[i].FinishReason, results[i].Value.FinishReason);
            }
            // Each later pair joined while the first request (and so at least one other row) was decoding.
            Assert.All(results.Skip(1), r => Assert.True(r.BatchSize >= 3, $"a later request was admitted into a batch of {r.BatchSize}"));
        }
        Assert.True(observer.Sizes.Max() >= 3, $"rows per step {string.Join(' ', observer.Sizes)}: the requests never shared a step");
    }

    [Fact]
    public async Task A_seeded_sampled_request_gives_the_same_text_alone_and_batched_with_others()
    {
        var sampled = new GenerationWork(model.Encode("My parcel arrived damaged"), new SamplingOptions(24, Temperature: 1.1, TopP: 0.9, Seed: 7), null);
        var expected = Alone(sampled);

        using var scheduler = new DecodeScheduler(model.Runner, new BatchingOptions(8, TimeSpan.Zero, 16), null);
        var alone = await scheduler.SubmitAsync(sampled, CancellationToken.None).WaitAsync(Patience);
        Task<BatchedResult<GenerationResult>>? joined = null;
        var others = new[]
        {
            scheduler.SubmitAsync(new GenerationWork(model.Encode("Where is my order?"), new SamplingOptions(30), p =>
            {
                if (p.TokenIds.Count == 4)
                {
                    joined = scheduler.SubmitAsync(sampled, CancellationToken.None); // on the scheduler's thread: joins at the next step
                }
            }), CancellationToken.None),
            scheduler.SubmitAsync(new GenerationWork(model.Encode("hello"), sampled.Options with { Seed = 8 }, null), CancellationToken.None),
        };
        await Task.WhenAll(others).WaitAsync(Patience);
        var batched = await joined!.WaitAsync(Patience);

        Assert.True(batched.BatchSize >= 2, $"the sampled request ran in a batch of {batched.BatchSize}");
        Assert.Equal(expected.TokenIds, alone.Value.TokenIds);
        Assert.Equal(expected.TokenIds, batched.Value.TokenIds);
        Assert.Equal(expected.Text, batched.Value.Text);
    }

    [Fact]
    public async Task A_short_request_arriving_while_a_long_one_decodes_finishes_first()
    {
        using var scheduler = new DecodeScheduler(model.Runner, new BatchingOptions(8, TimeSpan.Zero, 16), null);

        var (shortFinishedFirst, longTokens) = await LongAndShortRace.RunAsync(scheduler, model);

        Assert.True(shortFinishedFirst, $"the short request finished after the long one ({longTokens} tokens then)");
        Assert.True(longTokens < LongAndShortRace.LongTokens / 2, $"the long request had {longTokens} tokens when the short one finished");
    }

    [Fact]
    public async Task A_cancelled_request_leaves_the_batch_and_the_others_finish_unchanged()
    {
        using var cancellation = new CancellationTokenSource();
        var cancelledTokens = 0;
        GenerationWork[] work =
        [
            new(model.Encode("How long does shipping take to Spain?"), new SamplingOptions(30), p =>
            {
                if (p.TokenIds.Count == 4)
                {
                    cancellation.Cancel(); // synchronously, on the scheduler's thread: the row leaves at the next step
                }
            }),
            new(model.Encode("Cancel my account please"), new SamplingOptions(30), p => cancelledTokens = p.TokenIds.Count),
            new(model.Encode("Is there a student discount?"), new SamplingOptions(30), null),
        ];
        var expected = work.Select(Alone).ToList();
        var observer = new RecordingBatchObserver();

        using (var scheduler = new DecodeScheduler(model.Runner, new BatchingOptions(8, TimeSpan.Zero, 16), observer))
        {
            var answers = work.Select((w, i) => scheduler.SubmitAsync(w, i == 1 ? cancellation.Token : CancellationToken.None)).ToList();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => answers[1].WaitAsync(Patience));
            Assert.Equal(expected[0].TokenIds, (await answers[0].WaitAsync(Patience)).Value.TokenIds);
            Assert.Equal(expected[2].TokenIds, (await answers[2].WaitAsync(Patience)).Value.TokenIds);
        }
        Assert.InRange(cancelledTokens, 1, 6);
        Assert.True(observer.Sizes.Count(size => size == 3) <= 6, $"rows per step {string.Join(' ', observer.Sizes)}: the cancelled row stayed in the batch");
        Assert.True(observer.Sizes.Count(size => size == 2) >= 20, $"rows per step {string.Join(' ', observer.Sizes)}");
    }

    [Fact]
    public async Task No_step_holds_more_than_the_maximum_batch_size_and_queued_requests_join_as_rows_finish()
    {
        var works = Enumerable.Range(0, 8)
            .Select(i => new GenerationWork(model.Encode($"Question number {i}: where is my order?"), new SamplingOptions(4 + (3 * i)), null))
            .ToList();
        var expected = works.Select(Alone).ToList();
        var observer = new RecordingBatchObserver();

        using (var scheduler = new DecodeScheduler(model.Runner, new BatchingOptions(3, TimeSpan.Zero, 16), observer))
        {
            var results = await Task.WhenAll(works.Select(w => scheduler.SubmitAsync(w, CancellationToken.None))).WaitAsync(Patience);
            for (var i = 0; i < works.Count; i++)
            {
                Assert.Equal(expected[i].TokenIds, results[i].Value.TokenIds);
            }
        }
        Assert.Equal(3, observer.Sizes.Max());
        // Each token comes from one forward pass' row: a prefill gives a request its first, a decoding step the next.
        Assert.Equal(expected.Sum(e => e.TokenIds.Count), observer.Sizes.Sum());
    }

    [Fact]
    public async Task A_full_queue_refuses_with_a_retry_after_while_the_batch_is_full()
    {
        var admitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancellation = new CancellationTokenSource();
        using var scheduler = new DecodeScheduler(model.Runner, new BatchingOptions(1, TimeSpan.Zero, 1), null);

        var running = scheduler.SubmitAsync(new GenerationWork(model.Encode("hello"), new SamplingOptions(400), _ => admitted.TrySetResult()), cancellation.Token);
        await admitted.Task.WaitAsync(Patience);
        var queued = scheduler.SubmitAsync(new GenerationWork(model.Encode("refund"), new SamplingOptions(2), null), CancellationToken.None);
        Assert.Equal(1, scheduler.QueueDepth);
        var refused = Assert.Throws<QueueFullException>(() => { _ = scheduler.SubmitAsync(new GenerationWork(model.Encode("Thanks!"), new SamplingOptions(2), null), CancellationToken.None); });
        Assert.True(refused.RetryAfter >= TimeSpan.FromSeconds(1));

        await cancellation.CancelAsync();
        Assert.Equal(2, (await queued.WaitAsync(Patience)).Value.TokenIds.Count);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }
}
