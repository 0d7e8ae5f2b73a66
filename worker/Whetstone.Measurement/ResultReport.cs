using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Whetstone.Measurement;

/// <summary>Writes results as indented JSON and as a fixed-width text table.</summary>
public static class ResultReport
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The results as a JSON array.</summary>
    public static string ToJson(IReadOnlyList<MeasurementResult> results) => JsonSerializer.Serialize(results, Json);

    /// <summary>One row per result (latency percentiles, throughput, first token, peak memory), then the machine line of the last result.</summary>
    public static string ToTable(IReadOnlyList<MeasurementResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var rows = new List<string[]> { new[] { "workload", "runs", "p50 ms", "p95 ms", "p99 ms", "items/s", "tokens/s", "ttft ms", "peak MB", "model MB" } };
        rows.AddRange(results.Select(r => new[]
        {
            r.Name,
            r.Latency.Count.ToString(CultureInfo.InvariantCulture),
            Format(r.Latency.P50Ms),
            Format(r.Latency.P95Ms),
            Format(r.Latency.P99Ms),
            Format(r.ItemsPerSecond),
            r.TokensPerSecond > 0 ? Format(r.TokensPerSecond) : "-",
            r.TimeToFirstTokenMs is { } ttft ? Format(ttft) : "-",
            (r.PeakWorkingSetBytes / 1048576.0).ToString("F0", CultureInfo.InvariantCulture),
            r.ModelBytes > 0 ? (r.ModelBytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture) : "-",
        }));
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        }
        if (results.Count > 0)
        {
            text.AppendLine("machine: " + results[^1].Machine.Describe());
        }
        return text.ToString();
    }

    private static string Format(double value) => value.ToString(value >= 100 ? "F0" : "F2", CultureInfo.InvariantCulture);
}
