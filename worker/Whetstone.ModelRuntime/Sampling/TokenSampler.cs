namespace Whetstone.ModelRuntime.Sampling;

/// <summary>
/// Picks the next token from one position's logits, the same way for every backend: greedy is the arg-max (the
/// lowest id on ties); sampling divides by the temperature, keeps the nucleus (the most likely tokens whose
/// probabilities first reach <see cref="SamplingOptions.TopP"/>, ties broken by id), renormalises and draws
/// with a seeded generator. Backends hand it float logits, so equal logits give equal tokens whatever computed them.
/// </summary>
public sealed class TokenSampler
{
    private readonly SamplingOptions _options;
    private readonly Random? _random;

    /// <summary>A sampler for one sequence; <paramref name="stream"/> separates the sequences of one call.</summary>
    public TokenSampler(SamplingOptions options, int stream = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Temperature < 0 || double.IsNaN(options.Temperature))
        {
            throw new ArgumentException($"temperature must be 0 or more, got {options.Temperature}", nameof(options));
        }
        if (options.TopP is <= 0 or > 1 || double.IsNaN(options.TopP))
        {
            throw new ArgumentException($"top-p must be in (0, 1], got {options.TopP}", nameof(options));
        }
        this._options = options;
        if (options.Temperature > 0)
        {
            _random = new Random(SeedFor(options.Seed, stream));
        }
    }

    /// <summary>The next token for <paramref name="logits"/> (one vocabulary row).</summary>
    public long Next(ReadOnlySpan<float> logits) =>
        _random is null ? ArgMax(logits) : Draw(Nucleus(logits, _options.Temperature, _options.TopP), _random.NextDouble());

    /// <summary>Index of the largest value; the first one on ties.</summary>
    public static long ArgMax(ReadOnlySpan<float> logits)
    {
        if (logits.IsEmpty)
        {
            throw new ArgumentException("no logits to choose from", nameof(logits));
        }
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }
        return best;
    }

    /// <summary>
    /// The tokens sampling may pick and their renormalised probabilities, most likely first: softmax of
    /// logits / temperature, then the shortest prefix whose cumulative probability reaches <paramref name="topP"/>.
    /// </summary>
    public static IReadOnlyList<(long Token, double Probability)> Nucleus(ReadOnlySpan<float> logits, double temperature, double topP)
    {
        var max = logits[(int)ArgMax(logits)];
        var weights = new (long Token, double Weight)[logits.Length];
        var total = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            var weight = Math.Exp((logits[i] - max) / temperature);
            weights[i] = (i, weight);
            total += weight;
        }
        Array.Sort(weights, (a, b) => b.Weight != a.Weight ? b.Weight.CompareTo(a.Weight) : a.Token.CompareTo(b.Token));
        var kept = new List<(long Token, double Probability)>();
        var cumulative = 0.0;
        foreach (var (token, weight) in weights)
        {
            var probability = weight / total;
            kept.Add((token, probability));
            cumulative += probability;
            if (cumulative >= topP - 1e-12)
            {
                break;
            }
        }
        return [.. kept.Select(k => (k.Token, k.Probability / cumulative))];
    }

    private static long Draw(IReadOnlyList<(long Token, double Probability)> nucleus, double uniform)
    {
        var cumulative = 0.0;
        foreach (var (token, probability) in nucleus)
        {
            cumulative += probability;
            if (uniform < cumulative)
            {
                return token;
            }
        }
        return nucleus[^1].Token;
    }

    // System.Random with a seed uses a fixed, documented-stable algorithm, so a seed gives the same draws on every
    // machine and .NET version; mixing in the stream keeps the sequences of one batch independent.
    private static int SeedFor(ulong seed, int stream)
    {
        var mixed = (seed + 0x9E3779B97F4A7C15UL * (ulong)(stream + 1)) ^ (seed >> 31);
        return (int)(mixed ^ (mixed >> 32)) & int.MaxValue;
    }
}
