using System.Collections.Concurrent;
using System.Diagnostics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Runtime.Informers;

namespace Whetstone.Operator.Bench;

/// <summary>
/// Follows the benchmark's jobs and their worker pods through watches (the operator's own informer type, on the
/// benchmark's client), noting when each job was created, first observed by the operator
/// (<c>status.observedGeneration == metadata.generation</c>), got its first worker pod, and finished.
/// </summary>
internal sealed class JobTracker
{
    private readonly ConcurrentDictionary<string, long> _created = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _observed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _podCreated = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _finished = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _phases = new(StringComparer.Ordinal);
    private readonly Informer<FineTuneJob> _jobs;
    private readonly Informer<V1Pod> _pods;

    public JobTracker(IKubernetes client, string @namespace)
    {
        _jobs = new Informer<FineTuneJob>(ResourceSources.CustomResources<FineTuneJob>(client, @namespace), NullLogger.Instance);
        _pods = new Informer<V1Pod>(ResourceSources.Pods(client, @namespace, WhetstoneLabels.Kind), NullLogger.Instance);
        _jobs.OnEvent(change => OnJob(change.Object));
        _pods.OnEvent(change =>
        {
            if (change.Object.Metadata.Labels?.TryGetValue(WhetstoneLabels.Job, out var job) == true)
            {
                _podCreated.TryAdd(job, Stopwatch.GetTimestamp());
            }
        });
    }

    public int Observed => _observed.Count;

    public int WithPod => _podCreated.Count;

    public int Finished => _finished.Count;

    public IReadOnlyDictionary<string, int> Phases => _phases.Values.GroupBy(p => p, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _ = _jobs.RunAsync(cancellationToken);
        _ = _pods.RunAsync(cancellationToken);
        await Task.WhenAll(_jobs.Synced, _pods.Synced).WaitAsync(cancellationToken);
    }

    public void NoteCreating(string name) => _created[name] = Stopwatch.GetTimestamp();

    /// <summary>Per job, creation to observed, to pod, and to both; only jobs that have both.</summary>
    public (List<TimeSpan> Observed, List<TimeSpan> Pod, List<TimeSpan> Both) Latencies()
    {
        var observed = new List<TimeSpan>();
        var pod = new List<TimeSpan>();
        var both = new List<TimeSpan>();
        foreach (var (name, created) in _created)
        {
            var o = _observed.TryGetValue(name, out var ot) ? ot : (long?)null;
            var p = _podCreated.TryGetValue(name, out var pt) ? pt : (long?)null;
            if (o is { } ov)
            {
                observed.Add(Stopwatch.GetElapsedTime(created, ov));
            }

            if (p is { } pv)
            {
                pod.Add(Stopwatch.GetElapsedTime(created, pv));
            }

            if (o is { } a && p is { } b)
            {
                both.Add(Stopwatch.GetElapsedTime(created, Math.Max(a, b)));
            }
        }

        return (observed, pod, both);
    }

    /// <summary>When the last job was both observed and had its pod.</summary>
    public long LastObservedWithPod() =>
        _observed.Keys.Where(_podCreated.ContainsKey).Select(k => Math.Max(_observed[k], _podCreated[k])).DefaultIfEmpty(0).Max();

    public long LastFinished() => _finished.Values.DefaultIfEmpty(0).Max();

    public IReadOnlyList<FineTuneJob> Jobs() => _jobs.List();

    private void OnJob(FineTuneJob job)
    {
        var name = job.Metadata.Name;
        var now = Stopwatch.GetTimestamp();
        if (job.Status?.Phase is { } phase)
        {
            _phases[name] = phase;
        }

        if (job.Status?.ObservedGeneration is { } seen && seen == job.Metadata.Generation)
        {
            _observed.TryAdd(name, now);
        }

        if (JobPhases.IsTerminal(job.Status?.Phase))
        {
            _finished.TryAdd(name, now);
        }
    }
}
