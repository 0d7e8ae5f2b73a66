using System.Globalization;

namespace Whetstone.Operator.Bench;

/// <summary>Prints the figures beside the issue's targets.</summary>
internal static class BenchReport
{
    /// <summary>Everything one run measured.</summary>
    public sealed record Figures(
        int Jobs,
        string LoadBefore,
        string LoadAfter,
        double CreateSeconds,
        TimeSpan? AllObservedWithPod,
        TimeSpan? AllFinished,
        (List<TimeSpan> Observed, List<TimeSpan> Pod, List<TimeSpan> Both) Latencies,
        RequestTally UntilObserved,
        double ReconcilesUntilObserved,
        RequestTally UntilSteady,
        double ReconcilesUntilSteady,
        double ConflictsUntilSteady,
        long IdleRssBytes,
        long PeakRssUntilObservedBytes,
        long PeakRssBytes,
        long SteadyRssBytes,
        double TouchReconciles,
        double RestartReconciles,
        RequestTally SteadyWindow,
        TimeSpan TargetAllObserved,
        long TargetMemoryBytes);

    public static void Write(TextWriter output, Figures f)
    {
        var ci = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine(string.Create(ci, $"load average: {f.LoadBefore} before, {f.LoadAfter} after"));
        output.WriteLine(string.Create(ci, $"creating {f.Jobs} jobs took {f.CreateSeconds:F1} s (the benchmark's own client)"));
        output.WriteLine();
        output.WriteLine("figure                                         measured            target      met");
        var observed = f.AllObservedWithPod is { } o ? string.Create(ci, $"{o.TotalSeconds:F1} s") : "not reached";
        Row(output, $"all {f.Jobs} observed and with a Pod", observed, string.Create(ci, $"<= {f.TargetAllObserved.TotalSeconds:F0} s"),
            f.AllObservedWithPod is { } a && a <= f.TargetAllObserved);
        Row(output, "operator peak memory (RSS)", Megabytes(f.PeakRssBytes), $"< {Megabytes(f.TargetMemoryBytes)}", f.PeakRssBytes < f.TargetMemoryBytes);
        Row(output, "writes with nothing changed", f.SteadyWindow.Writes.ToString(ci), "0", f.SteadyWindow.Writes == 0);
        output.WriteLine();
        output.WriteLine(string.Create(ci, $"per-job latency from its create request (n={f.Latencies.Both.Count}):"));
        Latency(output, "observed (status.observedGeneration)", f.Latencies.Observed);
        Latency(output, "worker Pod exists", f.Latencies.Pod);
        Latency(output, "both", f.Latencies.Both);
        output.WriteLine(string.Create(ci, $"all finished (Succeeded/Failed): {(f.AllFinished is { } d ? $"{d.TotalSeconds:F1} s" : "not reached")} after the first create"));
        output.WriteLine();
        output.WriteLine("operator API requests (server-side count, by User-Agent):");
        Requests(output, "until all observed with a Pod", f.UntilObserved, f.ReconcilesUntilObserved, f.Jobs);
        Requests(output, "until every job finished and the operator settled", f.UntilSteady, f.ReconcilesUntilSteady, f.Jobs);
        output.WriteLine(string.Create(ci, $"  reconciles that ended in a 409 Conflict (a write from a stale copy, retried): {f.ConflictsUntilSteady:F0}"));
        foreach (var line in f.UntilSteady.Lines())
        {
            output.WriteLine(line);
        }

        output.WriteLine();
        output.WriteLine(string.Create(ci, $"operator memory: {Megabytes(f.IdleRssBytes)} idle (caches synced, no jobs), peak {Megabytes(f.PeakRssUntilObservedBytes)} until all observed, peak {Megabytes(f.PeakRssBytes)} overall, {Megabytes(f.SteadyRssBytes)} at steady state"));
        output.WriteLine();
        output.WriteLine(string.Create(ci, $"steady state: {f.TouchReconciles:F0} reconciles after an unrelated annotation on every job, {f.RestartReconciles:F0} by a restarted operator; operator requests in that window:"));
        output.WriteLine(string.Create(ci, $"    {f.SteadyWindow.Total} requests, {f.SteadyWindow.Writes} writes"));
        foreach (var line in f.SteadyWindow.Lines())
        {
            output.WriteLine(line);
        }
    }

    private static void Row(TextWriter output, string figure, string measured, string target, bool met) =>
        output.WriteLine($"{figure,-46} {measured,-19} {target,-11} {(met ? "yes" : "NO")}");

    private static void Latency(TextWriter output, string what, List<TimeSpan> values)
    {
        if (values.Count == 0)
        {
            output.WriteLine($"  {what,-38} none");
            return;
        }

        values.Sort();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {what,-38} p50 {Percentile(values, 0.50).TotalSeconds,6:F2} s   p99 {Percentile(values, 0.99).TotalSeconds,6:F2} s   max {values[^1].TotalSeconds,6:F2} s"));
    }

    private static void Requests(TextWriter output, string window, RequestTally tally, double reconciles, int jobs) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {window}: {tally.Total} requests ({tally.Writes} writes, {tally.Watches} watches), {reconciles:F0} reconciles: {tally.Total / Math.Max(1, reconciles):F2} requests/reconcile, {tally.Total / (double)jobs:F2} requests/job, {reconciles / jobs:F2} reconciles/job"));

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static TimeSpan Percentile(List<TimeSpan> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):F0} MB");
}
