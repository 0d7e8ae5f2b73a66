using System.Globalization;
using System.Text.Json.Nodes;
using Whetstone.Api.V1Alpha1;
using Whetstone.Datasets;
using Whetstone.Datasets.Records;
using Whetstone.ML.Evaluation;
using Whetstone.ML.Models;

namespace Whetstone.Worker.FineTuning;

/// <summary>
/// Multiple-choice accuracy on the held-out test split, of the base model (measured before training) and of the
/// fine-tuned model (after): what fine-tuning gained on questions it never saw. Only multipleChoice datasets have it.
/// </summary>
internal sealed class TestSplitAccuracy
{
    private readonly IReadOnlyList<MultipleChoiceQuestion> _questions;

    private TestSplitAccuracy(IReadOnlyList<MultipleChoiceQuestion> questions) => this._questions = questions;

    /// <summary>Accuracy of the base model, once measured.</summary>
    public MultipleChoiceResult? Base { get; private set; }

    /// <summary>Accuracy of the fine-tuned model, once measured.</summary>
    public MultipleChoiceResult? Tuned { get; private set; }

    /// <summary>The evaluation for <paramref name="test"/>, or null when it holds no multiple-choice records.</summary>
    public static TestSplitAccuracy? For(PreparedSplit test)
    {
        var records = test.Records.OfType<MultipleChoiceRecord>().Select(MultipleChoicePrompt.ToQuestion).ToList();
        return records.Count == 0 ? null : new TestSplitAccuracy(records);
    }

    public void MeasureBase(LanguageModel model, CancellationToken cancellationToken) =>
        Base = MultipleChoiceEvaluator.Evaluate(model, _questions, cancellationToken: cancellationToken);

    public void MeasureTuned(LanguageModel model, CancellationToken cancellationToken) =>
        Tuned = MultipleChoiceEvaluator.Evaluate(model, _questions, cancellationToken: cancellationToken);

    /// <summary>Writes the measured accuracies into status.metrics.</summary>
    public void ApplyTo(FineTuneJobStatus status)
    {
        status.Metrics ??= new TrainingMetrics();
        status.Metrics.BaseTestAccuracy = Base?.Accuracy;
        status.Metrics.TestAccuracy = Tuned?.Accuracy;
    }

    /// <summary>The manifest's <c>testEvaluation</c> entry.</summary>
    public JsonObject ToManifest() => new()
    {
        ["metric"] = "multipleChoiceAccuracy",
        ["scoring"] = "meanTokenLogLikelihood",
        ["questions"] = _questions.Count,
        ["base"] = Base is { } before ? new JsonObject { ["accuracy"] = before.Accuracy, ["correct"] = before.Correct } : null,
        ["fineTuned"] = Tuned is { } after ? new JsonObject { ["accuracy"] = after.Accuracy, ["correct"] = after.Correct } : null,
    };

    /// <summary>One line for the console.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"test accuracy (multiple choice, {_questions.Count} held-out questions): base {Base?.Accuracy:P1} ({Base?.Correct}/{_questions.Count}), fine-tuned {Tuned?.Accuracy:P1} ({Tuned?.Correct}/{_questions.Count})");
}
