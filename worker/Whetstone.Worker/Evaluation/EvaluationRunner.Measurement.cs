using System.Globalization;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Evaluation.Classification;
using Whetstone.Evaluation.Generation;
using Whetstone.Evaluation.MultipleChoice;
using Whetstone.Evaluation.Scoring;
using Whetstone.Evaluation.Speed;
using Whetstone.Evaluation.Subjective;
using Whetstone.ModelRuntime;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.Evaluation;

/// <summary>Running the suites on one model: multiple choice, generation, subjective, classification and speed.</summary>
internal sealed partial class EvaluationRunner
{
    private Dictionary<string, SuiteMeasurement> Measure(string directory, List<LoadedSuite> suites, int? threads, string role, CancellationToken cancellationToken)
    {
        var measured = new Dictionary<string, SuiteMeasurement>(StringComparer.Ordinal);

        // Loaded only when a suite runs the model: a detection suite reads the folder's predictions file instead.
        IModelRunner? loaded = null;
        IModelRunner Runner() => loaded ??= ModelLoader.Load(directory, new RuntimeOptions(threads, PreferCuda: true));
        try
        {
            foreach (var suite in suites.Where(s => s.NotMeasured is null && s.Suite.Type != SuiteTypes.Speed))
            {
                var started = DateTime.UtcNow;
                measured[suite.Suite.Name] = suite.Suite.Type switch
                {
                    SuiteTypes.Detection => DetectionPredictions.Measure(suite.Suite.Name, suite.Detection!, directory, role, suite.Suite.MaxSamples is not null),
                    SuiteTypes.MultipleChoice => MeasureMultipleChoice(Runner(), suite, cancellationToken),
                    SuiteTypes.Generation => MeasureGeneration(Runner(), suite, cancellationToken),
                    SuiteTypes.Subjective => MeasureSubjective(Runner(), suite, cancellationToken),
                    _ => MeasureClassification(Runner(), suite, cancellationToken),
                };
                say(string.Create(CultureInfo.InvariantCulture, $"{role}: suite {suite.Suite.Name} scored {measured[suite.Suite.Name].Items} items in {(DateTime.UtcNow - started).TotalSeconds:F1} s"));
            }
        }
        finally
        {
            loaded?.Dispose();
        }

        return measured;
    }

    private IReadOnlyList<SpeedCell> MeasureSpeed(string directory, EvaluationSuite suite, int? threads, string role, CancellationToken cancellationToken)
    {
        var settings = suite.Speed ?? new SpeedSettings();
        using var runner = ModelLoader.Load(directory, new RuntimeOptions(settings.Threads ?? threads, PreferCuda: true));
        var cells = SpeedSuite.Measure(runner, settings.BatchSizes is { Count: > 0 } b ? [.. b] : [1], settings.Concurrency is { Count: > 0 } c ? [.. c] : [1],
            TimeSpan.FromSeconds(settings.DurationSeconds ?? 30), TimeSpan.FromSeconds(settings.WarmupSeconds ?? 5), cancellationToken);
        foreach (var cell in cells)
        {
            say(string.Create(CultureInfo.InvariantCulture, $"{role}: suite {suite.Name} batch {cell.BatchSize} concurrency {cell.Concurrency}: p50 {cell.EndToEnd.P50Ms:F1} ms, p99 {cell.EndToEnd.P99Ms:F1} ms, inference p50 {cell.Inference.P50Ms:F1} ms, {cell.ThroughputPerSecond:F1}/s ({runner.Description.Threads} threads)"));
        }

        return cells;
    }

    private static SuiteMeasurement MeasureMultipleChoice(IModelRunner runner, LoadedSuite suite, CancellationToken cancellationToken)
    {
        if (runner is not ILanguageModelRunner language)
        {
            throw new JobFailureException(ConditionReasons.ModelInvalid, $"suite {suite.Suite.Name}: multipleChoice needs a language model, {runner.Description.Directory} holds a {runner.Description.Kind}");
        }

        var options = new MultipleChoiceOptions(suite.Suite.FewShot ?? 0, suite.Suite.Seed ?? 1234, Plain: suite.Suite.PromptFormat == "plain");
        var results = MultipleChoiceScorer.Score(language, suite.Items!, options, cancellationToken);
        return MultipleChoiceMeasurement.From(suite.Suite.Name, results, suite.Suite.Scoring == "sum" ? MultipleChoiceScoring.Sum : MultipleChoiceScoring.LengthNormalized);
    }

    private static SuiteMeasurement MeasureGeneration(IModelRunner runner, LoadedSuite suite, CancellationToken cancellationToken)
    {
        if (runner is not ILanguageModelRunner language)
        {
            throw new JobFailureException(ConditionReasons.ModelInvalid, $"suite {suite.Suite.Name}: generation needs a language model, {runner.Description.Directory} holds a {runner.Description.Kind}");
        }

        var settings = suite.Suite.Generation ?? new GenerationSettings();
        var sampling = new SamplingOptions(settings.MaxTokens ?? 64, settings.Temperature ?? 0, settings.TopP ?? 1, (ulong)(settings.Seed ?? 0), StopSequences: settings.Stop is { Count: > 0 } stop ? [.. stop] : null);
        return GenerationMeasurement.Measure(suite.Suite.Name, language, suite.Prompts!, sampling, 16, cancellationToken);
    }

    private static SuiteMeasurement MeasureSubjective(IModelRunner runner, LoadedSuite suite, CancellationToken cancellationToken)
    {
        if (runner is not ILanguageModelRunner language)
        {
            throw new JobFailureException(ConditionReasons.ModelInvalid, $"suite {suite.Suite.Name}: subjective needs a language model, {runner.Description.Directory} holds a {runner.Description.Kind}");
        }

        var settings = suite.Suite.Generation ?? new GenerationSettings();
        var sampling = new SamplingOptions(settings.MaxTokens ?? 64, settings.Temperature ?? 0, settings.TopP ?? 1, (ulong)(settings.Seed ?? 0), StopSequences: settings.Stop is { Count: > 0 } stop ? [.. stop] : null);
        return SubjectiveMeasurement.Measure(suite.Suite.Name, language, suite.Subjective!, sampling, suite.Scoring!, 16, cancellationToken);
    }

    private static SuiteMeasurement MeasureClassification(IModelRunner runner, LoadedSuite suite, CancellationToken cancellationToken)
    {
        var actual = suite.Labels!;
        IReadOnlyList<string> predicted;
        IReadOnlyList<string> labels;
        if (runner is IClassifierRunner classifier)
        {
            if (suite.Features is null)
            {
                throw new JobFailureException(ConditionReasons.DatasetInvalid, $"suite {suite.Suite.Name}: a classifier model needs a feature CSV dataset (numeric columns and a 'label' column)");
            }

            labels = suite.Suite.Labels is { Count: > 0 } given ? [.. given] : classifier.Labels;
            var logits = classifier.Score(suite.Features, 64, cancellationToken);
            predicted = [.. logits.Select(row => classifier.Labels[LabelChoice.ArgMax([.. row.Select(v => (double)v)])])];
        }
        else if (runner is ILanguageModelRunner language && suite.Texts is { } texts)
        {
            labels = suite.Suite.Labels is { Count: > 0 } given ? [.. given] : [.. actual.Distinct().Order(StringComparer.Ordinal)];
            predicted = LabelByLikelihood(language, texts, labels, cancellationToken);
        }
        else
        {
            throw new JobFailureException(ConditionReasons.DatasetInvalid, $"suite {suite.Suite.Name}: a language model classifies text records ({{\"text\", \"label\"}} JSONL)");
        }

        var all = labels.Union(actual).Union(predicted).ToArray();
        var ids = actual.Select((_, i) => string.Create(CultureInfo.InvariantCulture, $"line-{i + 1}")).ToArray();
        return ClassificationMeasurement.From(suite.Suite.Name, ids, actual, predicted, all);
    }

    private static string[] LabelByLikelihood(ILanguageModelRunner language, IReadOnlyList<string> texts, IReadOnlyList<string> labels, CancellationToken cancellationToken)
    {
        var requests = new List<ContinuationRequest>();
        foreach (var text in texts)
        {
            foreach (var label in labels)
            {
                var (prompt, completion) = language.Tokenizer.EncodeCompletion([new ML.Tokenization.ChatMessage("user", text)], label);
                requests.Add(new ContinuationRequest([.. prompt.Select(id => (long)id)], [.. completion.Select(id => (long)id)]));
            }
        }

        var scores = language.ScoreContinuations(requests, 16, cancellationToken);
        return [.. texts.Select((_, i) => labels[LabelChoice.ArgMax([.. scores.Skip(i * labels.Count).Take(labels.Count).Select(s => s.Sum)])])];
    }
}
