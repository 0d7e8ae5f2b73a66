using ScottPlot;
using Whetstone.Evaluation.Scoring;

namespace Whetstone.Evaluation.Reports;

/// <summary>PNG charts of the report, drawn with ScottPlot: model against baseline per suite, and per subject / class.</summary>
public static class ReportCharts
{
    /// <summary>Grouped bars of model (and baseline) values for <paramref name="scores"/>; null when there is nothing to draw.</summary>
    public static byte[]? ModelAgainstBaseline(string title, IReadOnlyList<ScoreComparison> scores, int width = 900, int height = 420)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count == 0)
        {
            return null;
        }

        using var plot = new Plot();
        var positions = Enumerable.Range(0, scores.Count).Select(i => (double)i).ToArray();
        var model = plot.Add.Bars(positions.Select(p => p - 0.2).ToArray(), scores.Select(s => s.Value.Estimate).ToArray());
        model.LegendText = "model";
        model.Color = Colors.SteelBlue;
        foreach (var bar in model.Bars)
        {
            bar.Size = 0.38;
        }

        if (scores.Any(s => s.Baseline is not null))
        {
            var baseline = plot.Add.Bars(positions.Select(p => p + 0.2).ToArray(), scores.Select(s => s.Baseline?.Estimate ?? 0).ToArray());
            baseline.LegendText = "baseline";
            baseline.Color = Colors.DarkOrange;
            foreach (var bar in baseline.Bars)
            {
                bar.Size = 0.38;
            }
        }

        plot.Axes.Bottom.SetTicks(positions, scores.Select(s => s.Metric).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 35;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 130;
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.ShowLegend(Alignment.UpperRight);
        var path = Path.Combine(Path.GetTempPath(), $"whetstone-chart-{Guid.NewGuid():N}.png");
        try
        {
            plot.SavePng(path, width, height);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
