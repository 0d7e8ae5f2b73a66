using Whetstone.Evaluation.Gates;
using Whetstone.Evaluation.Speed;
using Whetstone.ModelRuntime;

namespace Whetstone.Evaluation.Tests.Speed;

public sealed class SpeedSuiteTest
{
    [Fact]
    public void Every_cell_is_measured_and_a_latency_gate_reads_the_cell_it_names()
    {
        using var model = ModelLoader.LoadLanguageModel(RepositoryPaths.Of("examples/models/tiny-llama"), new RuntimeOptions(Threads: 1, PreferCuda: false));
        var cells = SpeedSuite.Measure(model, [1, 4], [1, 2], TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(100));

        Assert.Equal(["b1c1", "b1c2", "b4c1", "b4c2"], cells.Select(c => c.Key));
        foreach (var cell in cells)
        {
            Assert.True(cell.EndToEnd.Count > 0 && cell.EndToEnd.P50Ms > 0 && cell.ThroughputPerSecond > 0, cell.ToString());
            Assert.True(cell.EndToEnd.P99Ms >= cell.EndToEnd.P50Ms);
            Assert.True(cell.Inference.P50Ms <= cell.EndToEnd.P99Ms);
        }

        var scores = SpeedSuite.Compare("speed", cells, null);
        var b4 = scores.Single(s => s.Metric == "latencyP99Ms.b4c1");
        Assert.Equal(cells[2].EndToEnd.P99Ms, b4.Value.Estimate);
        Assert.Equal(cells[0].EndToEnd.P99Ms, scores.Single(s => s.Metric == "latencyP99Ms").Value.Estimate);
        Assert.False(b4.HigherIsBetter);

        var gates = GateEvaluator.Evaluate(
            [new GateSpec("speed", "latencyP99Ms.b4c1", Max: b4.Value.Estimate + 1), new GateSpec("speed", "latencyP99Ms.b4c1", Max: b4.Value.Estimate / 2)], scores);
        Assert.True(gates[0].Passed);
        Assert.False(gates[1].Passed);
        Assert.DoesNotContain("CI", gates[1].Message, StringComparison.Ordinal);
    }
}
