namespace Whetstone.LocalCluster.Gateway;

/// <summary>Weighted random choice, one draw per request, from a seedable generator (so a test can replay a split).</summary>
public sealed class WeightedChoice(int? seed)
{
    private readonly Random _random = seed is { } value ? new Random(value) : new Random();
    private readonly Lock _gate = new();

    /// <summary>The index of the chosen weight (weights of 0 are never chosen); null when all are 0.</summary>
    public int? Choose(IReadOnlyList<int> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        long total = weights.Sum(w => (long)Math.Max(0, w));
        if (total == 0)
        {
            return null;
        }

        long draw;
        lock (_gate)
        {
            draw = _random.NextInt64(total);
        }

        for (var i = 0; i < weights.Count; i++)
        {
            draw -= Math.Max(0, weights[i]);
            if (draw < 0)
            {
                return i;
            }
        }

        return weights.Count - 1;
    }

    /// <summary>A uniformly chosen index below <paramref name="count"/>.</summary>
    public int ChooseUniform(int count)
    {
        lock (_gate)
        {
            return _random.Next(count);
        }
    }
}
