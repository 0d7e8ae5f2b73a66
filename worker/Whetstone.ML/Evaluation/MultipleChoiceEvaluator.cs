using Whetstone.ML.Models;
using Whetstone.ML.Tokenization;
using static TorchSharp.torch;

namespace Whetstone.ML.Evaluation;

/// <summary>
/// Multiple-choice accuracy by answer log-likelihood: each choice is scored as the assistant's whole reply (its
/// tokens and the end token) after the user's question in the model's chat format, and the best-scored choice is
/// the model's answer. Choices of all questions are scored in batches, without gradients, in eval mode.
/// </summary>
public static class MultipleChoiceEvaluator
{
    /// <summary>Asks every question of <paramref name="questions"/> and counts the correct answers.</summary>
    /// <exception cref="ArgumentException">A question has fewer than two choices or its answer index is out of range.</exception>
    public static MultipleChoiceResult Evaluate(
        LanguageModel model,
        IReadOnlyList<MultipleChoiceQuestion> questions,
        MultipleChoiceEvaluationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(questions);
        options ??= new MultipleChoiceEvaluationOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);

        var rows = new List<ScoredRow>();
        for (var index = 0; index < questions.Count; index++)
        {
            var question = questions[index];
            if (question.Choices.Count < 2 || question.Answer < 0 || question.Answer >= question.Choices.Count)
            {
                throw new ArgumentException($"question {index}: needs at least two choices and an answer index among them (has {question.Choices.Count} choices, answer {question.Answer})", nameof(questions));
            }

            foreach (var choice in question.Choices)
            {
                var (prompt, completion) = model.Tokenizer.EncodeCompletion([new ChatMessage("user", question.Prompt)], choice);
                rows.Add(new ScoredRow(index, [.. prompt.Select(id => (long)id), .. completion.Select(id => (long)id)], prompt.Length));
            }
        }

        var scores = new double[rows.Count];
        var network = model.Model;
        var wasTraining = network.training;
        network.eval();
        try
        {
            using var noGrad = no_grad();
            for (var start = 0; start < rows.Count; start += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = rows.GetRange(start, Math.Min(options.BatchSize, rows.Count - start));
                var batchScores = ScoreBatch(network, batch, model.Tokenizer.PadId, options.Scoring);
                Array.Copy(batchScores, 0, scores, start, batchScores.Length);
            }
        }
        finally
        {
            if (wasTraining)
            {
                network.train();
            }
        }

        var predictions = new int[questions.Count];
        var best = Enumerable.Repeat(double.NegativeInfinity, questions.Count).ToArray();
        var choiceIndex = 0;
        for (var row = 0; row < rows.Count; row++)
        {
            var question = rows[row].Question;
            choiceIndex = row > 0 && rows[row - 1].Question == question ? choiceIndex + 1 : 0;

            // Strictly greater: a tie keeps the earlier choice, so a model that cannot tell choices apart is not lucky.
            if (scores[row] > best[question])
            {
                best[question] = scores[row];
                predictions[question] = choiceIndex;
            }
        }

        var correct = predictions.Where((predicted, i) => predicted == questions[i].Answer).Count();
        return new MultipleChoiceResult(correct, questions.Count, predictions);
    }

    /// <summary>The score of each row: its reply tokens' log-likelihoods, summed or averaged.</summary>
    private static double[] ScoreBatch(LlamaForCausalLM network, List<ScoredRow> batch, long padId, ChoiceScoring scoring)
    {
        // Right-padded: position t predicts token t + 1; only positions predicting reply tokens are weighted.
        var width = batch.Max(r => r.Ids.Length) - 1;
        var inputs = new long[batch.Count * width];
        var targets = new long[batch.Count * width];
        var real = new long[batch.Count * width];
        var weights = new float[batch.Count * width];
        for (var b = 0; b < batch.Count; b++)
        {
            var row = batch[b];
            for (var t = 0; t < width; t++)
            {
                var inside = t < row.Ids.Length - 1;
                inputs[b * width + t] = inside ? row.Ids[t] : padId;
                targets[b * width + t] = inside ? row.Ids[t + 1] : 0;
                real[b * width + t] = inside ? 1 : 0;
                weights[b * width + t] = inside && t >= row.PromptLength - 1 ? 1 : 0;
            }
        }

        using var scope = NewDisposeScope();
        var device = network.Device;
        var logits = network.Forward(
            tensor(inputs, dtype: ScalarType.Int64, device: device).view(batch.Count, width),
            tensor(real, dtype: ScalarType.Int64, device: device).view(batch.Count, width));

        // Only positions from the shortest prompt's end on predict reply tokens: the float32 softmax over the
        // vocabulary (the largest tensor here) is taken for those alone.
        var from = batch.Min(r => r.PromptLength) - 1;
        var span = width - from;
        var logProbabilities = nn.functional.log_softmax(logits.narrow(1, from, span).to(ScalarType.Float32), -1)
            .gather(-1, tensor(targets, dtype: ScalarType.Int64, device: device).view(batch.Count, width, 1).narrow(1, from, span))
            .squeeze(-1);
        var weight = tensor(weights, dtype: ScalarType.Float32, device: device).view(batch.Count, width).narrow(1, from, span);
        var total = (logProbabilities * weight).sum(1);
        var score = scoring == ChoiceScoring.Sum ? total : total / weight.sum(1);
        return [.. score.cpu().data<float>().Select(value => (double)value)];
    }

    private sealed record ScoredRow(int Question, long[] Ids, int PromptLength);
}
