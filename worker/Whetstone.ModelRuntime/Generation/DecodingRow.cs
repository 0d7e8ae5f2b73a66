using System.Diagnostics;
using Whetstone.ML.Tokenization;
using Whetstone.ModelRuntime.Sampling;

namespace Whetstone.ModelRuntime.Generation;

/// <summary>
/// One sequence of a <see cref="ContinuousBatch"/>: its prompt, its own settings (budget, stops, temperature, seed),
/// its own seeded sampler and its text so far. Rows with different settings share forward passes.
/// </summary>
public sealed class DecodingRow
{
    private readonly SequenceDecoder _decoder;
    private readonly TokenSampler _sampler;
    private readonly Stopwatch _clock = new();
    private volatile bool _left;

    /// <param name="prompt">Prompt token ids (with the beginning-of-sequence token).</param>
    /// <param name="options">This row's settings; <see cref="SamplingOptions.OnToken"/> is not called (the owner reads <see cref="Result"/>).</param>
    /// <param name="tokenizer">Decodes the text for stop sequences and the result.</param>
    /// <param name="stream">
    /// Sampler stream: 0 seeds the row as if it ran alone, so a seeded request gives the same text however it is
    /// batched; <see cref="GenerationLoop"/> passes the prompt's index to keep the rows of one call apart.
    /// </param>
    public DecodingRow(IReadOnlyList<long> prompt, SamplingOptions options, ChatTokenizer tokenizer, int stream = 0)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(options);
        if (prompt.Count == 0)
        {
            throw new ArgumentException("the prompt must hold at least one token (for example the beginning-of-sequence token)", nameof(prompt));
        }
        if (options.MaxNewTokens < 1)
        {
            throw new ArgumentException($"MaxNewTokens must be at least 1 for a decoding row, got {options.MaxNewTokens}", nameof(options));
        }
        Prompt = prompt;
        Options = options;
        _decoder = new SequenceDecoder(tokenizer, options);
        _sampler = new TokenSampler(options, stream);
    }

    /// <summary>Prompt token ids.</summary>
    public IReadOnlyList<long> Prompt { get; }

    /// <summary>This row's settings.</summary>
    public SamplingOptions Options { get; }

    /// <summary>True once a stop token, a stop sequence or the budget ended the row.</summary>
    public bool IsFinished => _decoder.IsFinished;

    /// <summary>True once <see cref="Leave"/> was called (its request was cancelled).</summary>
    public bool HasLeft => _left;

    /// <summary>The tokens and text so far; time to first token counts from admission.</summary>
    public GenerationResult Result => _decoder.ToResult();

    /// <summary>True while the row still takes part in forward passes.</summary>
    internal bool IsDecoding => !_left && !_decoder.IsFinished;

    /// <summary>The token chosen last, fed to the model at the next step.</summary>
    internal long LastToken { get; private set; }

    /// <summary>Takes the row out at the next step, whatever thread calls it (a cancelled request).</summary>
    public void Leave() => _left = true;

    internal void StartClock() => _clock.Start();

    internal void Choose(ReadOnlySpan<float> logits)
    {
        LastToken = _sampler.Next(logits);
        _decoder.Add(LastToken, _clock.Elapsed.TotalSeconds);
    }
}
