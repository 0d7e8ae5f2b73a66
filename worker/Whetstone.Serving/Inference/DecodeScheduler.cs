using System.Diagnostics;
using Whetstone.ModelRuntime;
using Whetstone.ModelRuntime.Generation;
using Whetstone.Serving.Batching;

namespace Whetstone.Serving.Inference;

/// <summary>
/// Continuous (iteration-level) batching for one model, on its own thread. Before every decoding step it admits
/// queued requests while fewer than <see cref="BatchingOptions.MaxBatchSize"/> rows are decoding (their prompts
/// are prefilled and their rows join the running batch), then runs one forward pass for every decoding row, hands
/// each row's token to its request (streaming) and completes a request the moment its row finishes. Each row keeps
/// its own settings (budget, stops, temperature, seed) and a sampler seeded as if it ran alone, so requests with
/// different settings share forward passes and a seeded request gives the same text however it was batched.
/// A cancelled request leaves the queue, or its row leaves the batch at the next step. Nothing waits for
/// companions (<see cref="BatchingOptions.MaxDelay"/> is not used): a request that arrives mid-decode joins at the
/// next step. The batch observer is told the rows of every forward pass: each admission's prefill (the requests
/// admitted together) and each decoding step (the rows decoding), so one-token requests are counted too.
/// </summary>
internal sealed partial class DecodeScheduler : IGenerationQueue
{
    private readonly RequestQueue<ScheduledRequest> _queue;
    private readonly List<ScheduledRequest> _running = [];
    private readonly IContinuousBatchingRunner _runner;
    private readonly BatchingOptions _options;
    private readonly IBatchObserver? _observer;
    private readonly Thread _thread;
    private ContinuousBatch _batch;
    private double _meanRequestSeconds;

    public DecodeScheduler(IContinuousBatchingRunner runner, BatchingOptions options, IBatchObserver? observer)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.QueueCapacity, 1);
        this._runner = runner;
        this._options = options;
        this._observer = observer;
        _queue = new RequestQueue<ScheduledRequest>(options.QueueCapacity);
        _batch = new ContinuousBatch(runner.StartAdmittingDecoding);
        _thread = new Thread(Run) { IsBackground = true, Name = "whetstone-decode-scheduler" };
        _thread.Start();
    }

    public int QueueDepth
    {
        get
        {
            lock (_queue.Gate)
            {
                return _queue.Count;
            }
        }
    }

    public Task<BatchedResult<GenerationResult>> SubmitAsync(GenerationWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        cancellationToken.ThrowIfCancellationRequested();
        var request = new ScheduledRequest(this, work, new DecodingRow(work.Prompt, work.Options with { OnToken = null }, _runner.Tokenizer), cancellationToken);
        _queue.Enqueue(request, this, EstimateRetryAfter);
        request.Registration = cancellationToken.Register(static state => ((ScheduledRequest)state!).Cancel(), request);
        return request.Completion.Task;
    }

    /// <summary>Stops the scheduler thread; queued and decoding requests are cancelled.</summary>
    public void Dispose()
    {
        _queue.Stop();
        _thread.Join();
    }

    private void Run()
    {
        while (TakeAdmissions() is { } admitted)
        {
            try
            {
                Advance(admitted);
            }
#pragma warning disable CA1031 // a failed step fails the requests in the batch, never the scheduler thread
            catch (Exception error)
#pragma warning restore CA1031
            {
                AbandonRunning(error);
            }
        }
        AbandonRunning(null);
    }

    /// <summary>Waits for work, then takes as many queued requests as the batch has room for (none when full).</summary>
    private List<ScheduledRequest>? TakeAdmissions()
    {
        _running.RemoveAll(request => request.Row.HasLeft);
        if (_running.Count == 0)
        {
            _batch.Step(); // no row decodes: frees the cache that departed rows still hold before waiting
        }
        lock (_queue.Gate)
        {
            while (_queue.Count == 0 && _running.Count == 0 && !_queue.IsStopping)
            {
                Monitor.Wait(_queue.Gate);
            }
            if (_queue.IsStopping)
            {
                _queue.Drain(request => request.Abandon(null));
                return null;
            }
            var admitted = new List<ScheduledRequest>();
            while (_running.Count + admitted.Count < _options.MaxBatchSize && _queue.TakeFirst() is { } first)
            {
                admitted.Add(first);
            }
            return admitted;
        }
    }

    /// <summary>Admits <paramref name="admitted"/> (their first token), then runs one step for every decoding row.</summary>
    private void Advance(List<ScheduledRequest> admitted)
    {
        if (admitted.Count > 0)
        {
            var now = Stopwatch.GetTimestamp();
            _running.AddRange(admitted);
            foreach (var request in admitted)
            {
                request.Admit(now, _running.Count);
            }
            _batch.Admit([.. admitted.Select(request => request.Row)]);
            _observer?.BatchStarted(admitted.Count);
            Publish(admitted);
        }
        var advanced = _batch.Step();
        if (advanced.Count > 0)
        {
            _observer?.BatchStarted(advanced.Count);
            var rows = advanced.ToHashSet();
            Publish([.. _running.Where(request => rows.Contains(request.Row))]);
        }
    }

    /// <summary>Streams each request's newest token and completes the requests whose rows finished.</summary>
    private void Publish(List<ScheduledRequest> requests)
    {
        foreach (var request in requests)
        {
            if (request.Row.HasLeft)
            {
                continue;
            }
            var result = request.Row.Result;
            request.Work.OnToken?.Invoke(result);
            if (request.Row.IsFinished)
            {
                var seconds = request.Complete(result);
                _meanRequestSeconds = _meanRequestSeconds == 0 ? seconds : (0.8 * _meanRequestSeconds) + (0.2 * seconds);
                _running.Remove(request);
            }
        }
    }

    private void AbandonRunning(Exception? error)
    {
        foreach (var request in _running)
        {
            request.Abandon(error);
        }
        _running.Clear();
        _batch.Dispose();
        _batch = new ContinuousBatch(_runner.StartAdmittingDecoding);
    }

    // Rounds of the batch the queue needs, times how long a request has lately taken from admission to answer.
    private TimeSpan EstimateRetryAfter()
    {
        var rounds = Math.Ceiling((double)_queue.Count / _options.MaxBatchSize);
        return TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(rounds * _meanRequestSeconds)));
    }
}
