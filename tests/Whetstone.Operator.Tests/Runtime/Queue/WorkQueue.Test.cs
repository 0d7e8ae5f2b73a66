using Whetstone.Operator.Runtime.Queue;

namespace Whetstone.Operator.Tests.Runtime.Queue;

public sealed class WorkQueueTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static WorkQueue<string> NewQueue(TimeSpan? baseDelay = null) =>
        new(new ExponentialFailureRateLimiter<string>(baseDelay ?? TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1)));

    [Fact]
    public async Task Duplicate_adds_before_a_take_collapse_into_one_item()
    {
        await using var queue = NewQueue();
        queue.Add("ns/a");
        queue.Add("ns/a");
        queue.Add("ns/b");
        queue.Add("ns/a");

        Assert.Equal(2, queue.Count);
        var first = await queue.TakeAsync(CancellationToken.None);
        var second = await queue.TakeAsync(CancellationToken.None);
        Assert.Equal(("ns/a", "ns/b"), (first.Key, second.Key));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task A_key_added_while_processing_is_not_handed_out_until_done()
    {
        await using var queue = NewQueue();
        queue.Add("ns/a");
        var taken = await queue.TakeAsync(CancellationToken.None);

        queue.Add("ns/a");
        Assert.Equal(0, queue.Count);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.TakeAsync(cts.Token));

        queue.Done(taken.Key);
        Assert.Equal(1, queue.Count);
        var again = await queue.TakeAsync(CancellationToken.None);
        Assert.Equal("ns/a", again.Key);
    }

    [Fact]
    public async Task Concurrent_workers_never_process_the_same_key_at_once()
    {
        await using var queue = NewQueue();
        var inFlight = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var overlaps = 0;
        var processed = 0;
        using var stop = new CancellationTokenSource();

        async Task WorkerAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                (bool ok, string key) item;
                try
                {
                    item = await queue.TakeAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                if (!item.ok)
                {
                    return;
                }

                if (inFlight.AddOrUpdate(item.key, 1, (_, n) => n + 1) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                await Task.Yield();
                inFlight.AddOrUpdate(item.key, 0, (_, n) => n - 1);
                Interlocked.Increment(ref processed);
                queue.Done(item.key);
            }
        }

        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(WorkerAsync)).ToArray();
        for (var i = 0; i < 2000; i++)
        {
            queue.Add($"ns/{i % 5}");
            if (i % 50 == 0)
            {
                await Task.Yield();
            }
        }

        var deadline = DateTime.UtcNow + Patience;
        while ((queue.Count > 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        await stop.CancelAsync();
        queue.ShutDown();
        await Task.WhenAll(workers);
        Assert.Equal(0, overlaps);
        Assert.InRange(processed, 5, 2000);
    }

    [Fact]
    public async Task AddAfter_delivers_the_key_once_the_delay_has_passed()
    {
        await using var queue = NewQueue();
        var started = DateTime.UtcNow;
        queue.AddAfter("ns/a", TimeSpan.FromMilliseconds(150));
        Assert.Equal(0, queue.Count);
        Assert.Equal(1, queue.WaitingCount);

        using var cts = new CancellationTokenSource(Patience);
        var item = await queue.TakeAsync(cts.Token);
        Assert.Equal("ns/a", item.Key);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(140));
    }

    [Fact]
    public async Task Repeated_requeues_of_one_key_keep_the_earliest_and_deliver_it_once()
    {
        await using var queue = NewQueue();
        queue.AddAfter("ns/a", TimeSpan.FromSeconds(30));
        queue.AddAfter("ns/a", TimeSpan.FromMilliseconds(50));
        queue.AddAfter("ns/a", TimeSpan.FromSeconds(5));
        Assert.Equal(1, queue.WaitingCount);

        using var cts = new CancellationTokenSource(Patience);
        var item = await queue.TakeAsync(cts.Token);
        queue.Done(item.Key);
        Assert.Equal(0, queue.WaitingCount);

        using var none = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.TakeAsync(none.Token));
    }

    [Fact]
    public async Task A_requeue_requested_while_processing_is_honoured_after_done()
    {
        await using var queue = NewQueue();
        queue.Add("ns/a");
        var item = await queue.TakeAsync(CancellationToken.None);
        queue.AddAfter(item.Key, TimeSpan.FromMilliseconds(50));
        await Task.Delay(150);
        queue.Done(item.Key);

        using var cts = new CancellationTokenSource(Patience);
        var again = await queue.TakeAsync(cts.Token);
        Assert.Equal("ns/a", again.Key);
    }

    [Fact]
    public async Task Failures_back_off_exponentially_per_item_and_forget_resets()
    {
        var limiter = new ExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(100));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(10), limiter.When("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(20), limiter.When("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("b"));
        for (var i = 0; i < 100; i++)
        {
            limiter.When("a");
        }

        Assert.Equal(TimeSpan.FromMilliseconds(100), limiter.When("a"));
        limiter.Forget("a");
        Assert.Equal(0, limiter.Failures("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("a"));

        await using var queue = NewQueue(TimeSpan.FromMilliseconds(20));
        queue.AddRateLimited("ns/x");
        queue.AddRateLimited("ns/x");
        Assert.Equal(2, queue.Failures("ns/x"));
        using var cts = new CancellationTokenSource(Patience);
        Assert.Equal("ns/x", (await queue.TakeAsync(cts.Token)).Key);
    }

    [Fact]
    public async Task Shutdown_wakes_waiting_takers_and_rejects_new_keys()
    {
        var queue = NewQueue();
        var taker = queue.TakeAsync(CancellationToken.None);
        queue.ShutDown();
        var result = await taker.WaitAsync(Patience);
        Assert.False(result.Ok);
        queue.Add("ns/a");
        Assert.Equal(0, queue.Count);
        await queue.DisposeAsync();
    }
}
