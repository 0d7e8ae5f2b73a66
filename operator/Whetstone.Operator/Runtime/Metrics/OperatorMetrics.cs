using System.Diagnostics.Metrics;

namespace Whetstone.Operator.Runtime.Metrics;

/// <summary>
/// The operator's own instruments (meter <see cref="MeterName"/>). Exported by OpenTelemetry's Prometheus exporter,
/// they become <c>whetstone_reconciles_total</c>, <c>whetstone_reconcile_duration_seconds</c>,
/// <c>whetstone_workqueue_depth</c>, <c>whetstone_jobs</c>, <c>whetstone_gpu_seconds_total</c>,
/// <c>whetstone_worker_pod_restarts_total</c>, <c>whetstone_leader</c> (1 on the replica that runs the controllers)
/// and <c>whetstone_build_info</c> (1, with the operator's <c>version</c>).
/// </summary>
public sealed class OperatorMetrics : IDisposable
{
    /// <summary>The meter's name, to register with OpenTelemetry.</summary>
    public const string MeterName = "Whetstone.Operator";

    /// <summary>Second-scale boundaries: reconciles take milliseconds to tens of seconds.</summary>
    public static readonly IReadOnlyList<double> DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly Meter _meter;
    private readonly Counter<long> _reconciles;
    private readonly Histogram<double> _reconcileDuration;
    private readonly Counter<double> _gpuSeconds;
    private readonly Counter<long> _podRestarts;
    private readonly List<Func<IEnumerable<Measurement<long>>>> _queueDepths = [];
    private readonly List<Func<IEnumerable<Measurement<long>>>> _jobCounts = [];
    private readonly List<Func<bool>> _leadership = [];

    /// <summary>Creates the instruments.</summary>
    public OperatorMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _reconciles = _meter.CreateCounter<long>("whetstone.reconciles", unit: null, description: "Reconciles by kind and result");
        _reconcileDuration = _meter.CreateHistogram<double>(
            "whetstone.reconcile.duration", unit: "s", description: "Time one reconcile took",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _gpuSeconds = _meter.CreateCounter<double>("whetstone.gpu", unit: "s", description: "GPU-seconds used by worker pods");
        _podRestarts = _meter.CreateCounter<long>("whetstone.worker.pod.restarts", unit: null, description: "Worker pod attempts that failed and were retried");
        _meter.CreateObservableGauge("whetstone.workqueue.depth", () => _queueDepths.SelectMany(f => f()), unit: null, description: "Keys waiting in each controller's work queue");
        _meter.CreateObservableGauge("whetstone.jobs", () => _jobCounts.SelectMany(f => f()), unit: null, description: "Jobs by kind and phase");
        _meter.CreateObservableGauge("whetstone.leader", () => _leadership.Select(f => new Measurement<long>(f() ? 1 : 0)), unit: null, description: "1 while this replica runs the controllers, 0 while it stands by");
        var version = new KeyValuePair<string, object?>("version", BuildVersion);
        _meter.CreateObservableGauge("whetstone.build.info", () => new Measurement<long>(1, version), unit: null, description: "Always 1; the operator's version is the label");
    }

    /// <summary>The operator's version (the assembly's informational version, without the source revision).</summary>
    public static string BuildVersion { get; } =
        (typeof(OperatorMetrics).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown")
        .Split('+')[0];

    /// <summary>Counts one reconcile and its duration.</summary>
    public void RecordReconcile(string kind, string result, TimeSpan duration)
    {
        var tags = new KeyValuePair<string, object?>[] { new("kind", kind), new("result", result) };
        _reconciles.Add(1, tags);
        _reconcileDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("kind", kind));
    }

    /// <summary>Adds GPU-seconds used by a job's worker.</summary>
    public void AddGpuSeconds(string kind, double seconds) => _gpuSeconds.Add(seconds, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Counts a worker pod restart (a retried attempt).</summary>
    public void CountWorkerRestart(string kind) => _podRestarts.Add(1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Observes a controller's queue depth.</summary>
    public void ObserveQueue(string kind, Func<int> depth) =>
        _queueDepths.Add(() => [new Measurement<long>(depth(), new KeyValuePair<string, object?>("kind", kind))]);

    /// <summary>Observes job counts by phase for a kind.</summary>
    public void ObserveJobs(string kind, Func<IReadOnlyDictionary<string, int>> byPhase) =>
        _jobCounts.Add(() => byPhase().Select(p => new Measurement<long>(
            p.Value, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("phase", p.Key))));

    /// <summary>Observes whether this replica leads (exported as <c>whetstone_leader</c>).</summary>
    public void ObserveLeadership(Func<bool> isLeader) => _leadership.Add(isLeader);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
