using Whetstone.ML.Classifiers;
using Whetstone.ModelRuntime;
using ChatMessage = Whetstone.ML.Tokenization.ChatMessage;

namespace Whetstone.Compression.Alignment;

/// <summary>
/// Runs a model (either backend, through <see cref="IModelRunner"/>) on an <see cref="EvaluationSet"/> and compares
/// two models' results. Multiple choice: accuracy by mean per-token log-likelihood of each choice's text, as the
/// fine-tuning worker and the evaluator score it; logits compared on the question followed by its correct answer.
/// Text: perplexity and next-token top-1 agreement. Classification: accuracy and macro F1.
/// </summary>
public static class AlignmentEvaluator
{
    /// <summary>Sequences whose logits are kept for the cosine (multiple choice), to bound memory.</summary>
    public const int MaxLogitSequences = 64;

    /// <summary>Evaluates <paramref name="runner"/>.</summary>
    public static ModelEvaluation Evaluate(IModelRunner runner, EvaluationSet set, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(set);
        return (runner, set.Task) switch
        {
            (ILanguageModelRunner language, EvaluationTask.MultipleChoice) => MultipleChoice(language, set, cancellationToken),
            (ILanguageModelRunner language, EvaluationTask.Text) => Text(language, set, cancellationToken),
            (IClassifierRunner classifier, EvaluationTask.Classification) => Classification(classifier, set, cancellationToken),
            _ => throw new InvalidDataException($"{set.Source}: {set.Task} data cannot be evaluated on a {runner.Description.Kind}"),
        };
    }

    /// <summary>Compares the compressed model's evaluation with the original's.</summary>
    public static AlignmentFigures Compare(ModelEvaluation original, ModelEvaluation compressed)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(compressed);
        var (cosine, agreement) = CompareLogits(original, compressed);
        return original.Task switch
        {
            EvaluationTask.Text => new AlignmentFigures("perplexity", original.Perplexity!.Value, compressed.Perplexity!.Value,
                compressed.Perplexity.Value / original.Perplexity.Value - 1, cosine, agreement),
            _ => new AlignmentFigures("accuracy", original.Accuracy!.Value, compressed.Accuracy!.Value,
                original.Accuracy.Value - compressed.Accuracy.Value, cosine, agreement),
        };
    }

    /// <summary>Same as <see cref="Compare"/> but judging macro F1 (classification only) instead of accuracy.</summary>
    public static AlignmentFigures CompareF1(ModelEvaluation original, ModelEvaluation compressed)
    {
        var figures = Compare(original, compressed);
        return original.F1 is { } before && compressed.F1 is { } after ? figures with { Metric = "f1", Original = before, Compressed = after, Drop = before - after } : figures;
    }

    private static ModelEvaluation MultipleChoice(ILanguageModelRunner language, EvaluationSet set, CancellationToken cancellationToken)
    {
        var tokenizer = language.Tokenizer;
        var requests = new List<ContinuationRequest>();
        var owners = new List<int>();
        var sequences = new List<IReadOnlyList<long>>();
        for (var q = 0; q < set.Questions.Count; q++)
        {
            var question = set.Questions[q];
            foreach (var choice in question.Choices)
            {
                var (prompt, completion) = tokenizer.EncodeCompletion([new ChatMessage("user", question.Prompt)], choice);
                requests.Add(new ContinuationRequest([.. prompt.Select(i => (long)i)], [.. completion.Select(i => (long)i)]));
                owners.Add(q);
            }
            if (sequences.Count < MaxLogitSequences)
            {
                var (prompt, completion) = tokenizer.EncodeCompletion([new ChatMessage("user", question.Prompt)], question.Choices[question.Answer]);
                sequences.Add([.. prompt.Concat(completion).Select(i => (long)i)]);
            }
        }
        var scores = language.ScoreContinuations(requests, cancellationToken: cancellationToken);
        var best = Enumerable.Repeat(double.NegativeInfinity, set.Questions.Count).ToArray();
        var predicted = new int[set.Questions.Count];
        var choiceIndex = 0;
        for (var r = 0; r < requests.Count; r++)
        {
            choiceIndex = r > 0 && owners[r - 1] == owners[r] ? choiceIndex + 1 : 0;
            // Strictly greater: a tie keeps the earlier choice, as the evaluator does.
            if (scores[r].Mean > best[owners[r]])
            {
                best[owners[r]] = scores[r].Mean;
                predicted[owners[r]] = choiceIndex;
            }
        }
        var accuracy = (double)predicted.Where((p, i) => p == set.Questions[i].Answer).Count() / set.Questions.Count;
        var logits = language.ComputeLogits(sequences, cancellationToken: cancellationToken);
        return new ModelEvaluation(EvaluationTask.MultipleChoice, accuracy, null, null, logits, language.VocabularySize);
    }

    private static ModelEvaluation Text(ILanguageModelRunner language, EvaluationSet set, CancellationToken cancellationToken)
    {
        var tokenizer = language.Tokenizer;
        var sequences = set.Conversations.Select(c => tokenizer.EncodeChat(c, addGenerationPrompt: false))
            .Concat(set.Texts.Select(t => tokenizer.Encode(t, addBos: true)))
            .Where(s => s.Length >= 2)
            .Select(s => (IReadOnlyList<long>)[.. s.Select(i => (long)i)])
            .ToList();
        var logits = language.ComputeLogits(sequences, cancellationToken: cancellationToken);
        var width = language.VocabularySize;
        double negativeLogLikelihood = 0;
        long count = 0;
        for (var s = 0; s < sequences.Count; s++)
        {
            for (var t = 0; t + 1 < sequences[s].Count; t++)
            {
                var row = logits[s].AsSpan(t * width, width);
                negativeLogLikelihood += LogSumExp(row) - row[(int)sequences[s][t + 1]];
                count++;
            }
        }
        var perplexity = Math.Exp(negativeLogLikelihood / Math.Max(1, count));
        return new ModelEvaluation(EvaluationTask.Text, null, null, perplexity, logits, width);
    }

    private static ModelEvaluation Classification(IClassifierRunner classifier, EvaluationSet set, CancellationToken cancellationToken)
    {
        var table = set.Table!;
        var classOf = classifier.Labels.Select((label, index) => (label, index)).ToDictionary(p => p.label, p => p.index, StringComparer.Ordinal);
        var truth = table.Classes.Select(c => classOf.TryGetValue(table.Labels[c], out var index)
            ? index
            : throw new InvalidDataException($"{set.Source}: label '{table.Labels[c]}' is not one of the classifier's labels ({string.Join(", ", classifier.Labels)})")).ToArray();
        var logits = classifier.Score(table.Features, cancellationToken: cancellationToken);
        var predicted = logits.Select(ArgMax).ToArray();
        var accuracy = (double)predicted.Where((p, i) => p == truth[i]).Count() / truth.Length;
        return new ModelEvaluation(EvaluationTask.Classification, accuracy, MacroF1(truth, predicted, classifier.Labels.Count), null, logits, classifier.Labels.Count);
    }

    /// <summary>Macro F1 over the classes that occur in the truth or the predictions (a class never seen nor predicted is left out).</summary>
    public static double MacroF1(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, int classes)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        var scores = new List<double>();
        for (var c = 0; c < classes; c++)
        {
            var truePositive = truth.Where((t, i) => t == c && predicted[i] == c).Count();
            var actual = truth.Count(t => t == c);
            var claimed = predicted.Count(p => p == c);
            if (actual + claimed == 0)
            {
                continue;
            }
            scores.Add(2.0 * truePositive / (actual + claimed));
        }
        return scores.Count == 0 ? 0 : scores.Average();
    }

    private static (double Cosine, double Agreement) CompareLogits(ModelEvaluation original, ModelEvaluation compressed)
    {
        double cosineSum = 0;
        long rows = 0;
        long agree = 0;
        var width = original.Width;
        for (var s = 0; s < original.Logits.Count; s++)
        {
            var a = original.Logits[s];
            var b = compressed.Logits[s];
            for (var offset = 0; offset + width <= a.Length; offset += width)
            {
                var x = a.AsSpan(offset, width);
                var y = b.AsSpan(offset, width);
                cosineSum += Similarity.Cosine(x, y);
                agree += ArgMax(x) == ArgMax(y) ? 1 : 0;
                rows++;
            }
        }
        return rows == 0 ? (1, 1) : (cosineSum / rows, (double)agree / rows);
    }

    private static int ArgMax(float[] values) => ArgMax(values.AsSpan());

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }
        return best;
    }

    private static double LogSumExp(ReadOnlySpan<float> values)
    {
        double maximum = double.NegativeInfinity;
        foreach (var v in values)
        {
            maximum = Math.Max(maximum, v);
        }
        double sum = 0;
        foreach (var v in values)
        {
            sum += Math.Exp(v - maximum);
        }
        return maximum + Math.Log(sum);
    }
}
