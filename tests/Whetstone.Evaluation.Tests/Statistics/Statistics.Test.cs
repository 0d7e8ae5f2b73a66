using System.Text.Json.Nodes;
using Whetstone.Evaluation.Statistics;

namespace Whetstone.Evaluation.Tests.Statistics;

public sealed class StatisticsTest
{
    private const string Scipy = """
import json, sys
import numpy as np
from scipy import stats
d = json.load(sys.stdin)
out = {"mcnemar": []}
for b, c in d["pairs"]:
    n = b + c
    if n == 0:
        out["mcnemar"].append(1.0)
    elif n < 25:
        out["mcnemar"].append(float(stats.binomtest(min(b, c), n, 0.5).pvalue))
    else:
        out["mcnemar"].append(float(stats.chi2.sf((abs(b - c) - 1) ** 2 / n, 1)))
diff = np.array(d["differences"], dtype=float)
out["mde"] = float((stats.norm.ppf(0.975) + stats.norm.ppf(0.8)) * diff.std(ddof=1) / np.sqrt(len(diff)))
m, b = np.array(d["model"], dtype=float), np.array(d["baseline"], dtype=float)
idx = np.array(d["indices"])
deltas = m[idx].mean(axis=1) - b[idx].mean(axis=1)
out["lower"], out["upper"] = float(np.percentile(deltas, 2.5)), float(np.percentile(deltas, 97.5))
print(json.dumps(out))
""";

    [Fact]
    public void McNemar_power_and_paired_bootstrap_equal_scipy_and_numpy()
    {
        int[][] pairs = [[0, 0], [3, 0], [7, 2], [12, 12], [5, 19], [20, 9], [40, 22], [100, 80]];
        var random = new Random(5);
        var model = Enumerable.Range(0, 150).Select(_ => random.NextDouble() < 0.7 ? 1.0 : 0.0).ToArray();
        var baseline = model.Select(v => random.NextDouble() < 0.15 ? 1 - v : v).ToArray();
        var differences = model.Select((v, i) => v - baseline[i]).ToArray();
        var indices = PairedBootstrap.ResampleIndices(model.Length, 500, 11);
        var reference = DebianPython.Run(Scipy, new JsonObject
        {
            ["pairs"] = new JsonArray([.. pairs.Select(p => (JsonNode)new JsonArray(p[0], p[1]))]),
            ["differences"] = new JsonArray([.. differences.Select(v => (JsonNode)v)]),
            ["model"] = new JsonArray([.. model.Select(v => (JsonNode)v)]),
            ["baseline"] = new JsonArray([.. baseline.Select(v => (JsonNode)v)]),
            ["indices"] = new JsonArray([.. indices.Select(r => (JsonNode)new JsonArray([.. r.Select(i => (JsonNode)i)]))]),
        });

        for (var i = 0; i < pairs.Length; i++)
        {
            var result = McNemarTest.FromCounts(pairs[i][0], pairs[i][1]);
            Assert.Equal(reference["mcnemar"]![i]!.GetValue<double>(), result.PValue, 1e-9);
            Assert.Equal(pairs[i][0] + pairs[i][1] < 25, result.Exact);
        }

        Assert.Equal(reference["mde"]!.GetValue<double>(), DetectableRegression.Calculate(differences), 1e-9);
        var interval = PairedBootstrap.Interval(model.Length, ix => PairedBootstrap.MeanAt(model, ix) - PairedBootstrap.MeanAt(baseline, ix), indices);
        Assert.Equal(reference["lower"]!.GetValue<double>(), interval.Lower, 1e-12);
        Assert.Equal(reference["upper"]!.GetValue<double>(), interval.Upper, 1e-12);
        Assert.Equal(model.Average() - baseline.Average(), interval.Estimate, 1e-12);
    }

    [Fact]
    public void Bootstrap_draws_repeat_for_a_seed_and_differ_across_seeds()
    {
        Assert.Equal(PairedBootstrap.ResampleIndices(40, 20, 3), PairedBootstrap.ResampleIndices(40, 20, 3));
        Assert.NotEqual(PairedBootstrap.ResampleIndices(40, 20, 3), PairedBootstrap.ResampleIndices(40, 20, 4));
    }

    [Fact]
    public void Holm_adjustment_matches_the_step_down_values_worked_out_by_hand()
    {
        // Sorted 0.01, 0.02, 0.04 with m = 3: 0.03, max(0.03, 0.04) = 0.04, max(0.04, 0.04) = 0.04.
        var adjusted = HolmCorrection.Adjust([0.04, 0.01, 0.02]);
        Assert.Equal([0.04, 0.03, 0.04], adjusted.Select(v => Math.Round(v, 12)));
        Assert.Equal([1.0, 1.0], HolmCorrection.Adjust([0.6, 0.9]));
    }
}
