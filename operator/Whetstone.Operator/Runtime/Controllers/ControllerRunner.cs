using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Whetstone.Operator.Runtime.Clients;
using Whetstone.Operator.Runtime.Informers;
using Whetstone.Operator.Runtime.Leadership;
using Whetstone.Operator.Runtime.Metrics;
using Whetstone.Operator.Runtime.Queue;

namespace Whetstone.Operator.Runtime.Controllers;

/// <summary>
/// Drives one controller: informer events become keys in a <see cref="WorkQueue{TKey}"/>; workers take keys, read the
/// object from the informer's cache, handle finalizers (added on first reconcile, run and removed on deletion), call
/// the controller and turn its result into a requeue, a back-off retry or nothing.
/// </summary>
public sealed class ControllerRunner<TEntity> : IControllerRun
    where TEntity : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Informer<TEntity> _informer;
    private readonly IEntityController<TEntity> _controller;
    private readonly IReadOnlyList<IEntityFinalizer<TEntity>> _finalizers;
    private readonly IEntityClient<TEntity> _client;
    private readonly OperatorMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ControllerOptions _options;
    private readonly WorkQueue<string> _queue;
    private readonly ConcurrentDictionary<string, TEntity> _tombstones = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, OwnWrite> _ownWrites = new(StringComparer.Ordinal);
    private readonly string _kind;

    /// <summary>Wires a controller to its informer, client and metrics.</summary>
    public ControllerRunner(
        Informer<TEntity> informer,
        IEntityController<TEntity> controller,
        IEnumerable<IEntityFinalizer<TEntity>> finalizers,
        IEntityClient<TEntity> client,
        OperatorMetrics metrics,
        ILogger logger,
        ControllerOptions? options = null)
    {
        _informer = informer;
        _controller = controller;
        _finalizers = [.. finalizers];
        _client = client;
        _metrics = metrics;
        _logger = logger;
        _options = options ?? new ControllerOptions();
        _kind = typeof(TEntity).Name;
        _queue = new WorkQueue<string>(new ExponentialFailureRateLimiter<string>(_options.FailureBaseDelay, _options.FailureMaxDelay));
        _metrics.ObserveQueue(_kind, () => _queue.Count);
        _informer.OnEvent(OnInformerEvent);
    }

    /// <summary>The queue, for tests and metrics.</summary>
    public WorkQueue<string> Queue => _queue;

    /// <summary>Asks for a reconcile of <c>namespace/name</c> (used to map owned objects back to their owner).</summary>
    public void Enqueue(string key) => _queue.Add(key);

    /// <summary>Runs the informer and the workers until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var informer = _informer.RunAsync(cancellationToken);
        try
        {
            await _informer.Synced.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await informer.ConfigureAwait(false);
            return;
        }

        // Every object is reconciled once when a round of work starts. The informer keeps its cache across
        // leadership rounds, so a replica that leads again relists without an event for objects that did not change,
        // and a reconcile cancelled when the lease was lost would otherwise never run again.
        foreach (var item in _informer.List())
        {
            _queue.Add(Informer<TEntity>.KeyOf(item));
        }

        _logger.LogInformation("{Kind} controller started with {Workers} workers", _kind, _options.Workers);
        var workers = Enumerable.Range(0, _options.Workers).Select(_ => Task.Run(() => WorkAsync(cancellationToken), CancellationToken.None)).ToList();
        await Task.WhenAll(workers.Append(informer)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _queue.DisposeAsync();

    private void OnInformerEvent(InformerEvent<TEntity> change)
    {
        var key = Informer<TEntity>.KeyOf(change.Object);
        if (_ownWrites.TryGetValue(key, out var own) && !string.Equals(own.Replaced, change.Object.Metadata.ResourceVersion, StringComparison.Ordinal))
        {
            // The cache has moved past the version our last write replaced: it is current again.
            _ownWrites.TryRemove(KeyValuePair.Create(key, own));
        }

        if (change.Type == ResourceWatchEventType.Deleted)
        {
            _tombstones[key] = change.Object;
        }

        _queue.Add(key);
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            (bool Ok, string Key) item;
            try
            {
                item = await _queue.TakeAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (!item.Ok)
            {
                return;
            }

            try
            {
                await ProcessAsync(item.Key, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _queue.Done(item.Key);
            }
        }
    }

    private async Task ProcessAsync(string key, CancellationToken cancellationToken)
    {
        // Every line logged while this reconcile runs, by any logger of the host, carries the object (the scope
        // provider is shared by the factory's loggers and flows with the async calls).
        using var scope = _logger.BeginScope(new ReconcileScope(_kind, key));
        var started = Stopwatch.GetTimestamp();
        var outcome = "success";
        try
        {
            // A leader paused past its lease must not act on what it queued before: it finds the fence closed here.
            _options.Fence?.EnsureHeld($"reconcile of {_kind} {key}");
            var result = await ReconcileKeyAsync(key, cancellationToken).ConfigureAwait(false);
            outcome = ApplyResult(key, result);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = "cancelled";
        }
        catch (LeaseNotHeldException e)
        {
            // This replica's lease ran out under it (it was paused, or cut off): the work stops now; the leader that
            // follows reconciles the object from its own cache.
            _logger.LogWarning("{Object}: {Error}", key, e.Message);
            outcome = "fenced";
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Conflict)
        {
            // Someone wrote the object since we read it: the informer brings the new version; look again soon.
            _logger.LogDebug("{Object}: conflict, retrying with the newer version", key);
            _queue.AddRateLimited(key);
            outcome = "conflict";
        }
        catch (Exception e)
        {
            _logger.LogError(e, "{Object}: reconcile failed: {Error}", key, e.Message);
            _queue.AddRateLimited(key);
            outcome = "error";
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            _metrics.RecordReconcile(_kind, outcome, elapsed);
            _logger.LogDebug("{Object}: reconcile {Outcome} in {Milliseconds} ms", key, outcome, (long)elapsed.TotalMilliseconds);
        }
    }

    private string ApplyResult(string key, ReconciliationResult<TEntity>? result)
    {
        if (result is null)
        {
            _queue.Forget(key);
            return "success";
        }

        if (result.IsSuccess)
        {
            _queue.Forget(key);
            if (result.RequeueAfter is { } after)
            {
                _queue.AddAfter(key, after);
            }

            return "success";
        }

        _logger.LogWarning("{Object}: {Error}", key, result.ErrorMessage);
        if (result.RequeueAfter is { } retry)
        {
            _queue.AddAfter(key, retry);
        }
        else
        {
            _queue.AddRateLimited(key);
        }

        return "failure";
    }

    private async Task<ReconciliationResult<TEntity>?> ReconcileKeyAsync(string key, CancellationToken cancellationToken)
    {
        var cached = _informer.Get(key);
        if (cached is null)
        {
            _ownWrites.TryRemove(key, out _);
            return _tombstones.TryRemove(key, out var gone)
                ? await _controller.DeletedAsync(gone, cancellationToken).ConfigureAwait(false)
                : null;
        }

        _tombstones.TryRemove(key, out _);
        var entity = NewestKnown(key, cached);
        if (entity.Metadata.DeletionTimestamp is not null)
        {
            await FinalizeAsync(key, entity, cancellationToken).ConfigureAwait(false);
            return null;
        }

        entity = await EnsureFinalizersAsync(entity, cancellationToken).ConfigureAwait(false);
        RememberOwnWrite(key, cached, entity);
        var result = await _controller.ReconcileAsync(entity, cancellationToken).ConfigureAwait(false);
        RememberOwnWrite(key, cached, result.Entity);
        return result;
    }

    /// <summary>
    /// The cached object, or the one our own last write returned while the cache still shows the version that write
    /// replaced (its watch event is on the way). Reconciling the stale copy would recompute what was just written
    /// and send it again with an outdated resourceVersion: a 409 Conflict and a retry, for nothing.
    /// </summary>
    private TEntity NewestKnown(string key, TEntity cached)
    {
        if (!_ownWrites.TryGetValue(key, out var own))
        {
            return cached;
        }

        if (string.Equals(own.Replaced, cached.Metadata.ResourceVersion, StringComparison.Ordinal))
        {
            return own.Written;
        }

        _ownWrites.TryRemove(KeyValuePair.Create(key, own));
        return cached;
    }

    /// <summary>Notes an object the API returned from our write (its resourceVersion differs from the cached one).</summary>
    private void RememberOwnWrite(string key, TEntity cached, TEntity latest)
    {
        if (!string.Equals(latest.Metadata.ResourceVersion, cached.Metadata.ResourceVersion, StringComparison.Ordinal))
        {
            _ownWrites[key] = new OwnWrite(cached.Metadata.ResourceVersion, latest);
        }
    }

    private async Task<TEntity> EnsureFinalizersAsync(TEntity entity, CancellationToken cancellationToken)
    {
        var present = entity.Metadata.Finalizers ?? [];
        var missing = _finalizers.Select(f => f.Name).Where(name => !present.Contains(name)).ToList();
        if (missing.Count == 0)
        {
            return entity;
        }

        return await _client.ReplaceFinalizersAsync(entity, [.. present, .. missing], cancellationToken).ConfigureAwait(false);
    }

    private async Task FinalizeAsync(string key, TEntity entity, CancellationToken cancellationToken)
    {
        var present = entity.Metadata.Finalizers ?? [];
        var ours = _finalizers.Where(f => present.Contains(f.Name)).ToList();
        if (ours.Count == 0)
        {
            return;
        }

        foreach (var finalizer in ours)
        {
            _logger.LogInformation("{Object}: running finalizer {Finalizer}", key, finalizer.Name);
            await finalizer.FinalizeAsync(entity, cancellationToken).ConfigureAwait(false);
        }

        var remaining = present.Where(name => ours.All(f => f.Name != name)).ToList();
        await _client.ReplaceFinalizersAsync(entity, remaining, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An object our write returned, and the resourceVersion it replaced (what a stale cache still shows).</summary>
    private sealed record OwnWrite(string Replaced, TEntity Written);
}
