using System.Buffers.Binary;
using Whetstone.ML.Charts;
using Whetstone.ML.Monitoring;

namespace Whetstone.ML.Tests.Charts;

public sealed class LossCurveChartTest : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("whetstone-chart-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    internal static List<LossPoint> Curve()
    {
        var points = new List<LossPoint>();
        for (var step = 1; step <= 120; step++)
        {
            var train = (2.8 * Math.Exp(-step / 30.0)) + 0.6 + (0.08 * Math.Sin(step * 1.7));
            double? validation = step % 10 == 0 ? (2.6 * Math.Exp(-step / 35.0)) + 0.75 + (step > 90 ? (step - 90) * 0.004 : 0) : null;
            points.Add(new LossPoint(step, train, validation));
        }

        return points;
    }

    [Fact]
    public void The_best_validation_point_is_the_lowest_finite_validation_loss()
    {
        var document = LossCurveDocument.FromPoints([new(1, 3, 2.0), new(2, 2, double.NaN), new(3, 1, 1.5), new(4, 1, 1.7)]);
        Assert.Equal(3, document.BestValidationStep);
        Assert.Equal(1.5, document.BestValidationLoss);
    }

    [Fact]
    public void The_json_keeps_the_full_history_and_reads_back()
    {
        var document = LossCurveDocument.FromPoints(Curve());
        var path = Path.Combine(_directory, "loss-curve.json");
        LossCurveChart.WriteJson(document, path);
        var read = LossCurveChart.ReadJson(path);
        Assert.Equal(120, read.Points.Count);
        Assert.Equal(document.Points, read.Points);
        Assert.Equal(document.BestValidationStep, read.BestValidationStep);
        Assert.Contains("\"trainLoss\"", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void The_png_chart_is_written_at_the_requested_size()
    {
        var path = Path.Combine(_directory, "loss-curve.png");
        LossCurveChart.WritePng(LossCurveDocument.FromPoints(Curve()), path, width: 900, height: 540);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        Assert.Equal(900, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.Equal(540, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
        Assert.True(bytes.Length > 10_000, $"a chart with lines, labels and a legend is more than a blank image ({bytes.Length} bytes)");
    }

    [Fact]
    public void A_curve_without_validation_still_renders()
    {
        var path = Path.Combine(_directory, "train-only.png");
        LossCurveChart.WritePng(LossCurveDocument.FromPoints([new(1, 2.0, null), new(2, 1.5, null)]), path);
        Assert.True(new FileInfo(path).Length > 0);
    }

    [Fact]
    public void A_broken_json_file_is_reported_with_its_name_and_line()
    {
        var path = Path.Combine(_directory, "broken.json");
        File.WriteAllText(path, "{\n  \"points\": [\n    {\"step\": \"x\"}\n  ]\n}");
        var error = Assert.Throws<InvalidDataException>(() => LossCurveChart.ReadJson(path));
        Assert.Contains("broken.json line 3", error.Message, StringComparison.Ordinal);
    }
}
