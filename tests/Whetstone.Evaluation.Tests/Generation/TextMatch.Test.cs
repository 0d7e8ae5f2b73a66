using System.Text.Json.Nodes;
using Whetstone.Evaluation.Generation;

namespace Whetstone.Evaluation.Tests.Generation;

public sealed class TextMatchTest
{
    // The SQuAD v1.1 evaluation script's definitions (normalize_answer, f1_score, exact_match_score).
    private const string Squad = """
import json, re, string, sys
from collections import Counter
def normalize_answer(s):
    s = s.lower()
    s = ''.join(ch for ch in s if ch not in set(string.punctuation))
    s = re.sub(r'\b(a|an|the)\b', ' ', s)
    return ' '.join(s.split())
def f1(p, g):
    pt, gt = normalize_answer(p).split(), normalize_answer(g).split()
    if len(pt) == 0 or len(gt) == 0:
        return float(pt == gt)
    common = Counter(pt) & Counter(gt)
    same = sum(common.values())
    if same == 0:
        return 0.0
    pr, rc = same / len(pt), same / len(gt)
    return 2 * pr * rc / (pr + rc)
pairs = json.load(sys.stdin)
print(json.dumps([[float(normalize_answer(p) == normalize_answer(g)), f1(p, g)] for p, g in pairs]))
""";

    [Fact]
    public void Exact_match_and_token_F1_equal_the_SQuAD_evaluation_script()
    {
        string[][] pairs =
        [
            ["The capital of France is Paris.", "Paris"],
            ["paris", "Paris!"],
            ["A ripe banana is yellow, yellow", "yellow"],
            ["", ""],
            ["", "blue"],
            ["Start a claim under Account > Orders.", "start a claim under account orders"],
            ["the the the", "an"],
            ["Shipping is free over $50", "Shipping costs $5.99 under $50"],
        ];
        var reference = DebianPython.Run(Squad, new JsonArray([.. pairs.Select(p => (JsonNode)new JsonArray(p[0], p[1]))]));
        for (var i = 0; i < pairs.Length; i++)
        {
            Assert.Equal(reference[i]![0]!.GetValue<double>(), TextMatch.ExactMatch(pairs[i][0], pairs[i][1]), 1e-12);
            Assert.Equal(reference[i]![1]!.GetValue<double>(), TextMatch.TokenF1(pairs[i][0], pairs[i][1]), 1e-12);
        }
    }
}
