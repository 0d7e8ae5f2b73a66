using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ScottPlot;
using Whetstone.ML.Monitoring;

namespace Whetstone.ML.Charts;

/// <summary>Writes the loss curve as JSON (the full history) and as a PNG chart (training and validation lines, best validation point marked).</summary>
public static class LossCurveChart
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    /// <summary>Writes <paramref name="document"/> as JSON to <paramref name="path"/>.</summary>
    public static void WriteJson(LossCurveDocument document, string path)
    {
        ArgumentNullException.ThrowIfNull(document);
        File.WriteAllText(path, JsonSerializer.Serialize(document, JsonOptions));
    }

    /// <summary>Reads a loss curve JSON file, with the file name and line in any error.</summary>
    public static LossCurveDocument ReadJson(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<LossCurveDocument>(File.ReadAllText(path), JsonOptions)
                ?? throw new InvalidDataException($"{path}: empty.");
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{path} line {error.LineNumber + 1}: {error.Message}", error);
        }
    }

    /// <summary>Renders the curve to a PNG file of <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    public static void WritePng(LossCurveDocument document, string path, string title = "Fine-tuning loss", int width = 900, int height = 540)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var plot = Render(document, title);
        plot.SavePng(path, width, height);
    }

    private static Plot Render(LossCurveDocument document, string title)
    {
        var plot = new Plot();
        var train = Finite(document.Points, p => p.TrainLoss);
        if (train.Steps.Length > 0)
        {
            var line = plot.Add.ScatterLine(train.Steps, train.Losses, Colors.SteelBlue);
            line.LineWidth = 2;
            line.LegendText = "training loss";
        }

        var validation = Finite(document.Points, p => p.ValidationLoss);
        if (validation.Steps.Length > 0)
        {
            var line = plot.Add.Scatter(validation.Steps, validation.Losses, Colors.DarkOrange);
            line.LineWidth = 2;
            line.MarkerSize = 6;
            line.LegendText = "validation loss";
        }

        if (document.BestValidationStep is { } bestStep && document.BestValidationLoss is { } bestLoss)
        {
            var marker = plot.Add.Marker(bestStep, bestLoss, MarkerShape.OpenCircle, 18, Colors.Crimson);
            marker.MarkerLineWidth = 2.5f;
            marker.LegendText = string.Create(CultureInfo.InvariantCulture, $"best validation {bestLoss:F4} at step {bestStep}");
        }

        plot.Title(title);
        plot.XLabel("Optimizer step");
        plot.YLabel("Loss (cross-entropy per target token)");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static (double[] Steps, double[] Losses) Finite(IReadOnlyList<LossPoint> points, Func<LossPoint, double?> select)
    {
        var kept = points.Where(p => select(p) is { } loss && double.IsFinite(loss)).ToList();
        return ([.. kept.Select(p => (double)p.Step)], [.. kept.Select(p => select(p)!.Value)]);
    }
}
