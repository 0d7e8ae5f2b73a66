using System.Collections.Concurrent;
using System.Diagnostics;
using Whetstone.Serving.Batching;

namespace Whetstone.Serving.Tests.Batching;

public sealed class DynamicBatcherTest
{
    [Fact]
    public async Task A_lone_request_on_an_idle_server_runs_at_once_instead_of_waiting_out_the_delay()
    {
        using var batcher = new DynamicBatcher<int, int>(new BatchingOptions(32, TimeSpan.FromSeconds(5), 16), (items, _) => [.. items.Select(i => i * 2)]);
        await Task.Delay(50);
        var clock = Stopwatch.StartNew();
        var result = await batcher.SubmitAsync(21, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(42, result.Value);
        Assert.Equal(1, result.BatchSize);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"a lone request waited {clock.Elapsed.TotalMilliseconds:F0} ms of a 5000 ms delay");
    }

    [Fact]
    public async Task Requests_queued_behind_a_running_batch_are_grouped_and_no_batch_exceeds_the_maximum()
    {
        using var gate = new ManualResetEventSlim(false);
        var sizes = new ConcurrentQueue<int>();
        using var batcher = new DynamicBatcher<int, int>(new BatchingOptions(4, TimeSpan.FromMilliseconds(20), 64), (items, _) =>
        {
            gate.Wait(TimeSpan.FromSeconds(10));
            sizes.Enqueue(items.Count);
            return [.. items.Select(i => i + 1000)];
        });
        var first = batcher.SubmitAsync(0, CancellationToken.None);
        await Eventually.WaitAsync(() => batcher.QueueDepth == 0);
        var rest = Enumerable.Range(1, 10).Select(i => batcher.SubmitAsync(i, CancellationToken.None)).ToList();
        gate.Set();
        var results = await Task.WhenAll(rest.Prepend(first)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(Enumerable.Range(1000, 11), results.Select(r => r.Value));
        Assert.Equal(11, sizes.Sum());
        Assert.All(sizes, size => Assert.InRange(size, 1, 4));
        Assert.Equal([1, 4, 4, 2], sizes);
    }

    [Fact]
    public async Task A_full_queue_refuses_at_once_with_a_retry_after_and_takes_requests_again_once_drained()
    {
        using var gate = new ManualResetEventSlim(false);
        using var batcher = new DynamicBatcher<int, int>(new BatchingOptions(1, TimeSpan.Zero, 2), (items, _) =>
        {
            gate.Wait(TimeSpan.FromSeconds(10));
            return [.. items];
        });
        var running = batcher.SubmitAsync(1, CancellationToken.None);
        await Eventually.WaitAsync(() => batcher.QueueDepth == 0);
        var queued = new[] { batcher.SubmitAsync(2, CancellationToken.None), batcher.SubmitAsync(3, CancellationToken.None) };

        var refused = Assert.Throws<QueueFullException>(() => { _ = batcher.SubmitAsync(4, CancellationToken.None); });
        Assert.True(refused.RetryAfter >= TimeSpan.FromSeconds(1));
        gate.Set();
        await Task.WhenAll(queued.Prepend(running)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(5, (await batcher.SubmitAsync(5, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10))).Value);
    }

    [Fact]
    public async Task A_cancelled_request_leaves_the_queue_and_never_reaches_the_model()
    {
        using var gate = new ManualResetEventSlim(false);
        var seen = new ConcurrentBag<int>();
        using var batcher = new DynamicBatcher<int, int>(new BatchingOptions(8, TimeSpan.Zero, 8), (items, _) =>
        {
            gate.Wait(TimeSpan.FromSeconds(10));
            foreach (var item in items)
            {
                seen.Add(item);
            }
            return [.. items];
        });
        var running = batcher.SubmitAsync(1, CancellationToken.None);
        await Eventually.WaitAsync(() => batcher.QueueDepth == 0);
        using var leaving = new CancellationTokenSource();
        var cancelled = batcher.SubmitAsync(2, leaving.Token);
        var kept = batcher.SubmitAsync(3, CancellationToken.None);
        Assert.Equal(2, batcher.QueueDepth);

        await leaving.CancelAsync();
        Assert.Equal(1, batcher.QueueDepth);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        gate.Set();
        await Task.WhenAll(running, kept).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1, 3], seen.Order());
    }

    [Fact]
    public async Task A_running_batch_is_cancelled_when_every_request_in_it_was_cancelled()
    {
        using var started = new ManualResetEventSlim(false);
        using var batcher = new DynamicBatcher<int, int>(new BatchingOptions(8, TimeSpan.Zero, 8), (items, ct) =>
        {
            if (items[0] == 1)
            {
                started.Set();
                ct.WaitHandle.WaitOne(TimeSpan.FromSeconds(10));
                ct.ThrowIfCancellationRequested();
            }
            return [.. items];
        });
        using var leaving = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var request = batcher.SubmitAsync(1, leaving.Token);
        started.Wait(TimeSpan.FromSeconds(10));
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        Assert.Equal(7, (await batcher.SubmitAsync(7, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5))).Value);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "the abandoned batch ran to its end instead of being cancelled");
    }
}
