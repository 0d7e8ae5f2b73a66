using System.Text.Json.Nodes;
using Whetstone.Evaluation.Contamination;
using Whetstone.Evaluation.Gates;
using Whetstone.Evaluation.Scoring;

namespace Whetstone.Evaluation.Reports;

/// <summary>Everything a report shows.</summary>
/// <param name="Title">The run's name.</param>
/// <param name="Model">The evaluated model.</param>
/// <param name="Baseline">The baseline, if any.</param>
/// <param name="Manifest">Reproducibility manifest: digests, prompt template, few-shot, seeds, scoring, tool version, CPU, threads.</param>
/// <param name="Scores">Scores on the full sets.</param>
/// <param name="CleanScores">Scores on the clean subset (contaminated records left out); empty when nothing was left out.</param>
/// <param name="Gates">Gate outcomes.</param>
/// <param name="Verdict">Passed or Failed.</param>
/// <param name="Summary">The verdict in words.</param>
/// <param name="Forgetting">One sentence on whether general ability regressed, or null without a general suite.</param>
/// <param name="Contamination">The contamination finding, if checked.</param>
/// <param name="SuiteDetails">Suite-specific sections (confusion matrix, subjects) by suite name.</param>
public sealed record ReportContent(
    string Title,
    ModelIdentity Model,
    ModelIdentity? Baseline,
    JsonObject Manifest,
    IReadOnlyList<ScoreComparison> Scores,
    IReadOnlyList<ScoreComparison> CleanScores,
    IReadOnlyList<GateOutcome> Gates,
    string Verdict,
    string Summary,
    string? Forgetting,
    ContaminationFinding? Contamination,
    IReadOnlyDictionary<string, JsonObject> SuiteDetails);
