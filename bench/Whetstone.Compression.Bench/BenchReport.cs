using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Whetstone.Compression.Alignment;

namespace Whetstone.Compression.Bench;

/// <summary>One row of the variant table: a model timed in its own process and its alignment against FP32.</summary>
internal sealed record VariantRow(string Model, string Variant, string Directory, SpeedFigures Speed, AlignmentFigures? Alignment, IReadOnlyDictionary<string, int>? Operators);

/// <summary>One point of the sparsity–accuracy curve (the prune step's own figures).</summary>
internal sealed record CurvePoint(string Kind, double RequestedSparsity, bool Recovery, double Sparsity, long Parameters, long SizeBytes, double SideBySideSpeedup,
    AlignmentFigures Alignment, double? RecoveryValidationLoss);

/// <summary>A target of the issue: the measured ratio, the bound and whether it holds.</summary>
internal sealed record TargetRow(string Model, string Target, string Measured, bool Met);

/// <summary>The printed tables and the JSON file.</summary>
internal static class BenchReport
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The variant table: latency, throughput, peak memory, weights and the alignment figures.</summary>
    public static string VariantTable(IReadOnlyList<VariantRow> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| model | variant | backend | b1 p50 ms | b1 p99 ms | b8 p50 ms | b8 p99 ms | b1 items/s | b8 items/s | b8 tokens/s | CPU ms/call b1 | CPU ms/call b8 | peak MB | weight bytes | metric | value | drop | cosine | top-1 agree |");
        text.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            var s = row.Speed;
            var a = row.Alignment;
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {row.Model} | {row.Variant} | {s.Backend} | {Ms(s.Batch1.Latency.P50Ms)} | {Ms(s.Batch1.Latency.P99Ms)} | {Ms(s.Batch8.Latency.P50Ms)} | {Ms(s.Batch8.Latency.P99Ms)} | {s.Batch1.ItemsPerSecond:N0} | {s.Batch8.ItemsPerSecond:N0} | {(s.Batch8.TokensPerSecond > 0 ? s.Batch8.TokensPerSecond.ToString("N0", CultureInfo.InvariantCulture) : "–")} | {Ms(s.CpuMs1)} | {Ms(s.CpuMs8)} | {s.PeakWorkingSetBytes / 1e6:F0} | {s.WeightBytes:N0} | {a?.Metric ?? "–"} | {Value(a?.Compressed)} | {Value(a?.Drop)} | {Value(a?.Cosine, "F5")} | {Value(a?.TopOneAgreement)} |"));
        }
        return text.ToString();
    }

    /// <summary>The sparsity–accuracy curve.</summary>
    public static string CurveTable(IReadOnlyList<CurvePoint> points)
    {
        var text = new StringBuilder();
        text.AppendLine("| pruning | requested | recovery | sparsity | non-zero parameters | bytes | side-by-side speedup | perplexity | rise | cosine | top-1 agree | recovery val loss |");
        text.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var p in points)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {p.Kind} | {p.RequestedSparsity:F1} | {(p.Recovery ? "yes" : "no")} | {p.Sparsity:F3} | {p.Parameters:N0} | {p.SizeBytes:N0} | {p.SideBySideSpeedup:F2} | {p.Alignment.Compressed:F3} | {p.Alignment.Drop:F4} | {p.Alignment.Cosine:F4} | {p.Alignment.TopOneAgreement:F4} | {Value(p.RecoveryValidationLoss)} |"));
        }
        return text.ToString();
    }

    /// <summary>The targets, each met or not with its measured ratio.</summary>
    public static string TargetTable(IReadOnlyList<TargetRow> targets)
    {
        var text = new StringBuilder();
        text.AppendLine("| model | target | measured | met |");
        text.AppendLine("|---|---|---|---|");
        foreach (var t in targets)
        {
            text.AppendLine($"| {t.Model} | {t.Target} | {t.Measured} | {(t.Met ? "met" : "**not met**")} |");
        }
        return text.ToString();
    }

    /// <summary>Writes everything the run measured as one JSON document.</summary>
    public static void WriteJson(string path, object document) => File.WriteAllText(path, JsonSerializer.Serialize(document, Json) + "\n");

    private static string Ms(double value) => value.ToString(value < 1 ? "F3" : value < 100 ? "F2" : "F0", CultureInfo.InvariantCulture);

    private static string Value(double? value, string format = "F4") => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";
}
