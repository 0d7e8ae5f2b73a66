using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ScottPlot;

namespace Whetstone.Compression.Reporting;

/// <summary>Writes a <see cref="CompressionOutcome"/> as JSON, Markdown and a size / speed / metric chart.</summary>
public static class CompressionReport
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The JSON report (the outcome, with the ratio, speedup and the machine's CPU flags).</summary>
    public static string ToJson(CompressionOutcome outcome, string title)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var document = new
        {
            title,
            outcome.Aligned,
            outcome.CompressionRatio,
            outcome.Speedup,
            outcome.IsSlower,
            SpeedupVsOnnxFp32 = outcome.OriginalOnnx is { } onnx ? onnx.LatencyP50Ms / outcome.Compressed.LatencyP50Ms : (double?)null,
            Cpu = CpuFlags(),
            outcome.Task,
            outcome.EvaluationRecords,
            outcome.Original,
            outcome.OriginalOnnx,
            outcome.Compressed,
            outcome.Alignment,
            Thresholds = new { outcome.MaxDrop, outcome.MinCosine },
            Steps = outcome.Steps.Select(s => new { s.Index, s.Name, s.Note, DurationSeconds = s.Duration.TotalSeconds, s.Format, s.Figures, s.Alignment, s.Metrics }),
            outcome.KeptInFloat,
            outcome.Tries,
            outcome.Layers,
            outcome.FinalLayers,
        };
        return JsonSerializer.Serialize(document, Json) + "\n";
    }

    /// <summary>The Markdown report.</summary>
    public static string ToMarkdown(CompressionOutcome outcome, string title)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
        Line($"# Compression report: {title}");
        Line($"");
        Line($"**{(outcome.Aligned ? "Aligned" : "NOT aligned")}** — {outcome.Alignment.Metric} {outcome.Alignment.Original:F4} → {outcome.Alignment.Compressed:F4} (drop {outcome.Alignment.Drop:F4}, allowed {outcome.MaxDrop:F4}); logits cosine {outcome.Alignment.Cosine:F5} (required {outcome.MinCosine:F4}); top-1 agreement {outcome.Alignment.TopOneAgreement:P1}; {outcome.EvaluationRecords} {outcome.Task} records.");
        Line($"");
        Line($"| model | backend | size (bytes) | parameters | P50 ms | P99 ms | {outcome.Alignment.Metric} |");
        Line($"|---|---|---:|---:|---:|---:|---:|");
        void Row(string name, ModelFigures f) => Line($"| {name} | {f.Backend} | {f.SizeBytes:N0} | {f.Parameters:N0} | {f.LatencyP50Ms:F3} | {f.LatencyP99Ms:F3} | {Metric(f, outcome.Alignment.Metric):F4} |");
        Row("original", outcome.Original);
        if (outcome.OriginalOnnx is { } onnx)
        {
            Row("original, ONNX FP32", onnx);
        }
        Row("compressed", outcome.Compressed);
        Line($"");
        Line($"Size ratio {outcome.CompressionRatio:F2}x. Speedup {outcome.Speedup:F2}x against the original{(outcome.OriginalOnnx is { } o ? string.Create(CultureInfo.InvariantCulture, $", {o.LatencyP50Ms / outcome.Compressed.LatencyP50Ms:F2}x against its ONNX FP32 export") : "")}.");
        if (outcome.IsSlower)
        {
            Line($"**The compressed model is slower than the original** ({outcome.Speedup:F2}x): this is not a speed gain.");
        }
        Line($"Latency: one forward pass at batch 1, 1 thread, 10 warm-up + 50 measured runs. CPU flags: {CpuFlags()}.");
        Line($"");
        Line($"## Steps");
        Line($"");
        Line($"| # | step | what it did | seconds | size | P50 ms | {outcome.Alignment.Metric} | drop | cosine |");
        Line($"|---:|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var s in outcome.Steps)
        {
            Line($"| {s.Index} | {s.Name} | {s.Note.Replace("|", "/", StringComparison.Ordinal)} | {s.Duration.TotalSeconds:F1} | {s.Figures.SizeBytes:N0} | {s.Figures.LatencyP50Ms:F3} | {s.Alignment.Compressed:F4} | {s.Alignment.Drop:F4} | {s.Alignment.Cosine:F5} |");
        }
        foreach (var s in outcome.Steps.Where(s => s.Name == "prune"))
        {
            var before = s.Index == 0 ? outcome.Original : outcome.Steps.Last(p => p.Index < s.Index).Figures;
            Line($"");
            Line($"## Pruning (step {s.Index})");
            Line($"");
            Line($"{s.Note}.");
            Line($"");
            Line($"| | before | after |");
            Line($"|---|---:|---:|");
            Line($"| parameters stored | {s.Metrics.GetValueOrDefault("parametersBefore"):N0} | {s.Metrics.GetValueOrDefault("parametersStored"):N0} |");
            Line($"| non-zero parameters | | {s.Metrics.GetValueOrDefault("nonZeroParameters"):N0} |");
            Line($"| sparsity of the projections | | {s.Metrics.GetValueOrDefault("sparsity"):F4} |");
            Line($"| size on disk (bytes) | {before.SizeBytes:N0} | {s.Figures.SizeBytes:N0} |");
            if (s.Metrics.TryGetValue("sideBySideP50BeforeMs", out var sideBefore) && s.Metrics.TryGetValue("sideBySideP50AfterMs", out var sideAfter))
            {
                Line($"| P50 ms, both models timed side by side ({s.Metrics.GetValueOrDefault("sideBySideRounds"):F0} alternating passes) | {sideBefore:F3} | {sideAfter:F3} |");
            }
            Line($"| P50 ms, each measured after its step (minutes apart) | {before.LatencyP50Ms:F3} | {s.Figures.LatencyP50Ms:F3} |");
        }
        if (outcome.Tries.Count > 0)
        {
            Line($"");
            Line($"## Fallback tries");
            Line($"");
            Line($"| try | kept in FP32 | {outcome.Alignment.Metric} drop | cosine | aligned |");
            Line($"|---:|---|---:|---:|---|");
            foreach (var t in outcome.Tries)
            {
                Line($"| {t.Try} | {string.Join(", ", t.KeptInFloat)} | {t.Alignment.Drop:F4} | {t.Alignment.Cosine:F5} | {(t.Aligned ? "yes" : "no")} |");
            }
        }
        foreach (var (heading, layers) in new[] { ("Layers when alignment first broke", outcome.Layers), ("Layers of the final model", outcome.FinalLayers) })
        {
            if (layers.Count == 0)
            {
                continue;
            }
            Line($"");
            Line($"## {heading}");
            Line($"");
            Line($"Output of every MatMul of the original against the same tensor of the compressed graph (differences accumulate through the layers).");
            Line($"");
            Line($"| layer | compressed | output cosine | output SQNR dB | input SQNR dB | noise added by the layer |");
            Line($"|---|---|---:|---:|---:|---:|");
            foreach (var l in layers)
            {
                Line($"| {l.Layer} | {(l.Compressed ? "yes" : "no")} | {l.Cosine:F5} | {l.SqnrDb:F1} | {l.InputSqnrDb:F1} | {l.AddedNoise:G3} |");
            }
        }
        return text.ToString();
    }

    /// <summary>Bars of size, P50 latency and the metric, each relative to the original (original = 1).</summary>
    public static void WriteChart(CompressionOutcome outcome, string path, string title)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var plot = new Plot();
        var models = new List<(string Name, ModelFigures Figures)> { ("original", outcome.Original) };
        if (outcome.OriginalOnnx is { } onnx)
        {
            models.Add(("ONNX FP32", onnx));
        }
        models.Add(("compressed", outcome.Compressed));
        var metric = outcome.Alignment.Metric;
        var series = new (string Label, Func<ModelFigures, double> Value, Color Color)[]
        {
            ("size", f => f.SizeBytes, Colors.SteelBlue),
            ("P50 latency", f => f.LatencyP50Ms, Colors.DarkOrange),
            (metric, f => Metric(f, metric) ?? 0, Colors.SeaGreen),
        };
        var bars = new List<Bar>();
        for (var m = 0; m < models.Count; m++)
        {
            for (var s = 0; s < series.Length; s++)
            {
                var reference = series[s].Value(outcome.Original);
                var value = reference == 0 ? 0 : series[s].Value(models[m].Figures) / reference;
                bars.Add(new Bar { Position = m * (series.Length + 1) + s, Value = value, FillColor = series[s].Color, Label = value.ToString("F2", CultureInfo.InvariantCulture) });
            }
        }
        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 11;
        var ticks = models.Select((m, i) => new Tick(i * (series.Length + 1) + 1, m.Name)).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        foreach (var s in series)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = s.Label, FillColor = s.Color });
        }
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        plot.Title($"{title}: relative to the original (1.0)");
        plot.Axes.Margins(bottom: 0);
        plot.SavePng(path, 900, 500);
    }

    private static double? Metric(ModelFigures figures, string metric) => metric switch
    {
        "perplexity" => figures.Perplexity,
        "f1" => figures.F1,
        _ => figures.Accuracy,
    };

    /// <summary>The CPU's vector instruction sets that matter for INT8 speed (from /proc/cpuinfo on Linux).</summary>
    public static string CpuFlags()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo))
        {
            return "unknown";
        }
        var flags = File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(':', 2)[1].Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var wanted = new[] { "avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8", "f16c", "avx512_fp16" };
        var present = wanted.Where(flags.Contains).ToList();
        return present.Count == 0 ? "none of avx2/avx512/vnni" : string.Join(" ", present);
    }
}
