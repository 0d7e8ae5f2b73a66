using System.Text.Json.Nodes;
using Whetstone.Evaluation.Statistics;

namespace Whetstone.Evaluation.Tests.Statistics;

public sealed class RaterAgreementTest
{
    private const string Sklearn = """
import json, sys, math
from sklearn.metrics import cohen_kappa_score
out = []
for case in json.load(sys.stdin):
    k = float(cohen_kappa_score(case["a"], case["b"]))
    out.append(None if math.isnan(k) else k)
print(json.dumps(out))
""";

    // win / tie / loss labels as the calibration uses them: balanced, skewed, a label only one rater uses, perfect
    // agreement, total disagreement, and one rater giving a single label (kappa 0).
    private static readonly string[][][] Cases =
    [
        [["win", "tie", "loss", "win", "tie", "loss", "win", "win"], ["win", "tie", "win", "win", "loss", "loss", "tie", "win"]],
        [["win", "win", "win", "win", "win", "tie", "win", "loss", "win", "win"], ["win", "win", "tie", "win", "win", "tie", "win", "win", "win", "loss"]],
        [["tie", "tie", "win", "win", "tie"], ["tie", "loss", "win", "loss", "tie"]],
        [["win", "loss", "tie"], ["win", "loss", "tie"]],
        [["win", "loss", "win", "loss"], ["loss", "win", "loss", "win"]],
        [["win", "win", "loss", "tie"], ["tie", "tie", "tie", "tie"]],
    ];

    [Fact]
    public void Kappa_equals_scikit_learns_cohen_kappa_score()
    {
        var reference = DebianPython.Run(Sklearn, new JsonArray([.. Cases.Select(c => (JsonNode)new JsonObject
        {
            ["a"] = new JsonArray([.. c[0].Select(l => (JsonNode)l)]),
            ["b"] = new JsonArray([.. c[1].Select(l => (JsonNode)l)]),
        })])).AsArray();

        for (var i = 0; i < Cases.Length; i++)
        {
            var ours = RaterAgreement.Of(Cases[i][0], Cases[i][1]);
            Assert.Equal(reference[i]!.GetValue<double>(), ours.Kappa!.Value, 12);
            Assert.Equal((double)Cases[i][0].Zip(Cases[i][1]).Count(p => p.First == p.Second) / Cases[i][0].Length, ours.Agreement, 12);
        }
    }

    [Fact]
    public void Kappa_is_undefined_when_both_raters_use_one_and_the_same_label()
    {
        var reference = DebianPython.Run(Sklearn, new JsonArray(new JsonObject { ["a"] = new JsonArray("tie", "tie"), ["b"] = new JsonArray("tie", "tie") })).AsArray();

        Assert.Null(reference[0]);
        Assert.Equal(new RaterAgreement(2, 1, null), RaterAgreement.Of(["tie", "tie"], ["tie", "tie"]));
        Assert.Equal(new RaterAgreement(0, 0, null), RaterAgreement.Of(Array.Empty<string>(), []));
    }
}
