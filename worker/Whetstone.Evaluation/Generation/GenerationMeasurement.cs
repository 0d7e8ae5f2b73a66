using System.Text.Json.Nodes;
using Whetstone.Evaluation.Scoring;
using Whetstone.ML.Tokenization;
using Whetstone.ModelRuntime;

namespace Whetstone.Evaluation.Generation;

/// <summary>
/// A generation suite: each prompt is continued by the model with the suite's sampling settings (all prompts in
/// one call, sharing forward passes), and the answer is scored by <c>exactMatch</c> and <c>tokenF1</c> (means over items).
/// </summary>
public static class GenerationMeasurement
{
    /// <summary>Generates an answer for every item and builds the suite's measurement.</summary>
    public static SuiteMeasurement Measure(string suite, ILanguageModelRunner model, IReadOnlyList<GenerationItem> items, SamplingOptions sampling, int batchSize = 16, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(items);
        var answers = new List<string>();
        for (var start = 0; start < items.Count; start += batchSize)
        {
            var batch = items.Skip(start).Take(batchSize).Select(i => (IReadOnlyList<long>)[.. model.Tokenizer.EncodeChat(i.Prompt, addGenerationPrompt: true).Select(id => (long)id)]).ToArray();
            answers.AddRange(model.Generate(batch, sampling with { StopTokenIds = sampling.StopTokenIds ?? [model.Tokenizer.EosId] }, cancellationToken).Select(r => r.Text.Trim()));
        }

        return From(suite, items, answers);
    }

    /// <summary>The measurement of given answers (one per item, in order).</summary>
    public static SuiteMeasurement From(string suite, IReadOnlyList<GenerationItem> items, IReadOnlyList<string> answers)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(answers);
        var exact = items.Select((item, i) => TextMatch.ExactMatch(answers[i], item.Reference)).ToArray();
        var f1 = items.Select((item, i) => TextMatch.TokenF1(answers[i], item.Reference)).ToArray();
        var correct = exact.Select(e => e == 1).ToArray();
        var metrics = new List<MetricSeries>
        {
            new("exactMatch", indices => Statistics.PairedBootstrap.MeanAt(exact, indices), correct),
            new("tokenF1", indices => Statistics.PairedBootstrap.MeanAt(f1, indices)),
        };
        var records = items.Select((item, i) => new JsonObject
        {
            ["id"] = item.Id,
            ["answer"] = answers[i],
            ["reference"] = item.Reference,
            ["exactMatch"] = exact[i],
            ["tokenF1"] = f1[i],
        }).ToArray();
        return new SuiteMeasurement(suite, "generation", items.Count, metrics, records, new JsonObject { ["items"] = items.Count });
    }

    /// <summary>The prompt and reference of a conversation: everything before its last assistant message, and that message.</summary>
    public static GenerationItem? FromConversation(string id, IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var last = -1;
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == "assistant")
            {
                last = i;
                break;
            }
        }

        return last <= 0 ? null : new GenerationItem(id, [.. messages.Take(last)], messages[last].Content);
    }
}
