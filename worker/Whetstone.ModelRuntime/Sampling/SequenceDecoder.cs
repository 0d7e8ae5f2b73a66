using Whetstone.ML.Tokenization;

namespace Whetstone.ModelRuntime.Sampling;

/// <summary>
/// Follows one sequence being generated: its tokens, its text and whether it must stop (a stop token, a stop
/// sequence in the decoded text, or the token budget). Backend-neutral: backends feed it the tokens they chose.
/// </summary>
public sealed class SequenceDecoder(ChatTokenizer tokenizer, SamplingOptions options)
{
    private readonly List<long> _tokens = [];
    private string _text = "";

    /// <summary>True once the sequence must not grow.</summary>
    public bool IsFinished { get; private set; }

    /// <summary>Seconds from the start of the call to the first token, once there is one.</summary>
    public double TimeToFirstTokenSeconds { get; private set; }

    /// <summary>Adds the next token at <paramref name="elapsedSeconds"/> since the call started.</summary>
    public void Add(long token, double elapsedSeconds)
    {
        if (IsFinished)
        {
            throw new InvalidOperationException("the sequence is finished");
        }
        if (_tokens.Count == 0)
        {
            TimeToFirstTokenSeconds = elapsedSeconds;
        }
        _tokens.Add(token);
        if (options.StopTokenIds?.Contains(token) == true)
        {
            IsFinished = true;
            FinishReason = "stop";
            _text = Decode(_tokens.Take(_tokens.Count - 1));
            return;
        }
        _text = Decode(_tokens);
        if (FindStop(_text) is { } cut)
        {
            _text = _text[..cut];
            IsFinished = true;
            FinishReason = "stop";
        }
        else if (_tokens.Count >= options.MaxNewTokens)
        {
            IsFinished = true;
            FinishReason = "length";
        }
    }

    /// <summary><c>stop</c> or <c>length</c>.</summary>
    public string FinishReason { get; private set; } = "length";

    /// <summary>The result so far.</summary>
    public GenerationResult ToResult() => new([.. _tokens], _text, FinishReason, TimeToFirstTokenSeconds);

    private string Decode(IEnumerable<long> ids) => tokenizer.Decode(ids.Select(id => (int)id));

    private int? FindStop(string decoded)
    {
        int? earliest = null;
        foreach (var stop in options.StopSequences ?? [])
        {
            if (stop.Length == 0)
            {
                continue;
            }
            var at = decoded.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (earliest is null || at < earliest))
            {
                earliest = at;
            }
        }
        return earliest;
    }
}
