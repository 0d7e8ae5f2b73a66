using System.Text.Json.Nodes;
using Whetstone.Evaluation.Classification;

namespace Whetstone.Evaluation.Tests.Classification;

public sealed class ClassificationMetricsTest
{
    private const string Sklearn = """
import json, sys
from sklearn.metrics import precision_recall_fscore_support, confusion_matrix, accuracy_score
d = json.load(sys.stdin)
y, p, labels = d["actual"], d["predicted"], d["labels"]
out = {"accuracy": accuracy_score(y, p), "confusion": confusion_matrix(y, p, labels=labels).tolist()}
pr, rc, f1, sup = precision_recall_fscore_support(y, p, labels=labels, average=None, zero_division=0)
out["perClass"] = [[float(a), float(b), float(c), int(s)] for a, b, c, s in zip(pr, rc, f1, sup)]
for avg in ["macro", "micro", "weighted"]:
    a, b, c, _ = precision_recall_fscore_support(y, p, labels=labels, average=avg, zero_division=0)
    out[avg] = [float(a), float(b), float(c)]
print(json.dumps(out))
""";

    [Fact]
    public void Metrics_equal_scikit_learn_with_absent_classes_and_ties()
    {
        // "unused" is in the label set but never occurs; "fee" is predicted but never true; "slow" is true but never
        // predicted; refund and delivery have equal support (a tie in the weighted average's weights).
        string[] labels = ["delivery", "fee", "refund", "slow", "unused"];
        string[] actual = ["refund", "refund", "delivery", "delivery", "slow", "refund", "delivery", "slow", "refund", "delivery", "slow"];
        string[] predicted = ["refund", "fee", "delivery", "refund", "delivery", "refund", "delivery", "refund", "fee", "delivery", "delivery"];
        var mine = ClassificationMetrics.Calculate(actual, predicted, labels);
        var reference = DebianPython.Run(Sklearn, new JsonObject
        {
            ["actual"] = new JsonArray([.. actual.Select(a => (JsonNode)a)]),
            ["predicted"] = new JsonArray([.. predicted.Select(a => (JsonNode)a)]),
            ["labels"] = new JsonArray([.. labels.Select(a => (JsonNode)a)]),
        });

        Assert.Equal(reference["accuracy"]!.GetValue<double>(), mine.Accuracy, 1e-9);
        for (var c = 0; c < labels.Length; c++)
        {
            var row = reference["perClass"]![c]!.AsArray();
            Assert.Equal(row[0]!.GetValue<double>(), mine.PerClass[c].Precision, 1e-9);
            Assert.Equal(row[1]!.GetValue<double>(), mine.PerClass[c].Recall, 1e-9);
            Assert.Equal(row[2]!.GetValue<double>(), mine.PerClass[c].F1, 1e-9);
            Assert.Equal(row[3]!.GetValue<int>(), mine.PerClass[c].Support);
            for (var k = 0; k < labels.Length; k++)
            {
                Assert.Equal(reference["confusion"]![c]![k]!.GetValue<int>(), mine.Confusion[c, k]);
            }
        }

        foreach (var (name, averaged) in new[] { ("macro", mine.Macro), ("micro", mine.Micro), ("weighted", mine.Weighted) })
        {
            var row = reference[name]!.AsArray();
            Assert.Equal(row[0]!.GetValue<double>(), averaged.Precision, 1e-9);
            Assert.Equal(row[1]!.GetValue<double>(), averaged.Recall, 1e-9);
            Assert.Equal(row[2]!.GetValue<double>(), averaged.F1, 1e-9);
        }

        Assert.Equal(0.0, mine.For("slow").Recall);
    }

    [Fact]
    public void Tied_scores_choose_the_first_label_in_the_label_set()
    {
        Assert.Equal(1, LabelChoice.ArgMax([0.1, 0.7, 0.7, -1]));
        Assert.Equal(0, LabelChoice.ArgMax([2.0, 2.0]));
    }
}
