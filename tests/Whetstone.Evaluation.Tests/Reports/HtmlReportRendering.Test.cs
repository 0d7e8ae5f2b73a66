using System.Diagnostics;
using System.Text.Json.Nodes;
using SkiaSharp;
using Whetstone.Evaluation.Classification;
using Whetstone.Evaluation.Gates;
using Whetstone.Evaluation.MultipleChoice;
using Whetstone.Evaluation.Reports;
using Whetstone.Evaluation.Scoring;

namespace Whetstone.Evaluation.Tests.Reports;

public sealed class HtmlReportRenderingTest
{
    private const string Chromium = "/usr/bin/chromium";

    private static ReportContent Content()
    {
        var items = Enumerable.Range(0, 40).Select(i => new MultipleChoiceItem($"q{i}", $"question {i}", ["a", "b", "c"], i % 3, i % 2 == 0 ? "geography" : "history", "humanities")).ToArray();
        MultipleChoiceItemResult Answer(MultipleChoiceItem item, int index, bool strong) =>
            new(item, [-1, -2, -3], [1, 1, 1], strong || index % 4 == 0 ? item.Answer : (item.Answer + 1) % 3, strong || index % 5 == 0 ? item.Answer : (item.Answer + 1) % 3);
        var model = MultipleChoiceMeasurement.From("general", [.. items.Select((it, i) => Answer(it, i, i % 7 != 0))], MultipleChoiceScoring.LengthNormalized);
        var baseline = MultipleChoiceMeasurement.From("general", [.. items.Select((it, i) => Answer(it, i, i % 3 != 0))], MultipleChoiceScoring.LengthNormalized);
        string[] actual = ["0", "1", "2", "1", "0", "2", "2", "1", "0", "0"];
        string[] predicted = ["0", "1", "1", "1", "0", "2", "0", "1", "0", "2"];
        var digits = ClassificationMeasurement.From("digits", [.. actual.Select((_, i) => $"r{i}")], actual, predicted, ["0", "1", "2"]);
        var comparer = new ScoreComparer(500, 1);
        var scores = comparer.Compare(model, baseline).Concat(comparer.Compare(digits, null)).ToArray();
        var gates = GateEvaluator.Evaluate([new GateSpec("general", "accuracy", MaxRegression: 0.02), new GateSpec("digits", "recall.2", Min: 0.9)], scores);
        return new ReportContent(
            "report-rendering", new ModelIdentity("support-bot", "1.3.0", "acme", "file:///m/", "sha256:aa"), new ModelIdentity("support-bot", "1.2.0", "acme", "file:///b/", "sha256:bb"),
            new JsonObject { ["seed"] = 1 }, scores, [], gates, "Failed", "1 of 2 gates failed.", null, null,
            new Dictionary<string, JsonObject> { ["general"] = model.Details, ["digits"] = digits.Details });
    }

    [Fact]
    public void The_html_report_renders_in_headless_chromium_with_its_charts()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: scripts/setup.d/35-evaluation.sh installs Debian's chromium");
        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        var html = HtmlReport.Render(Content());
        var page = Path.Combine(artifacts, "report.html");
        var screenshot = Path.Combine(artifacts, "report.png");
        File.WriteAllText(page, html);
        File.Delete(screenshot);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.Contains("support-bot", html, StringComparison.Ordinal);
        Assert.Contains("recall.2", html, StringComparison.Ordinal);
        Assert.Contains("confusion matrix", html, StringComparison.Ordinal);
        var charts = System.Text.RegularExpressions.Regex.Matches(html, "data:image/png;base64,([A-Za-z0-9+/=]+)");
        Assert.True(charts.Count >= 3, $"{charts.Count} charts");
        foreach (System.Text.RegularExpressions.Match chart in charts)
        {
            using var image = SKBitmap.Decode(Convert.FromBase64String(chart.Groups[1].Value));
            Assert.True(image is { Width: > 100, Height: > 100 });
        }

        var profile = Path.Combine(Path.GetTempPath(), "whetstone-chromium-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(Chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", $"--user-data-dir={profile}", "--window-size=1200,2600", $"--screenshot={screenshot}", new Uri(page).AbsoluteUri])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using (var process = Process.Start(start)!)
        {
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "chromium did not finish in 60 s");
        }

        Directory.Delete(profile, recursive: true);
        using var shot = SKBitmap.Decode(screenshot);
        Assert.NotNull(shot);

        // The charts' model bars are SteelBlue (70, 130, 180); nothing else on the page has that colour, so finding a
        // block of it proves the embedded PNGs were decoded and painted.
        var steelBlue = 0;
        for (var y = 0; y < shot.Height; y += 2)
        {
            for (var x = 0; x < shot.Width; x += 2)
            {
                var pixel = shot.GetPixel(x, y);
                if (Math.Abs(pixel.Red - 70) < 8 && Math.Abs(pixel.Green - 130) < 8 && Math.Abs(pixel.Blue - 180) < 8)
                {
                    steelBlue++;
                }
            }
        }

        Assert.True(steelBlue > 2000, $"{steelBlue} chart-coloured pixels in the screenshot (kept at {screenshot})");
    }
}
