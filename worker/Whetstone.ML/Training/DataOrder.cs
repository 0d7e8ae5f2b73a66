namespace Whetstone.ML.Training;

/// <summary>The order examples are visited in: a seeded shuffle per epoch, the same on every run and after resume.</summary>
public static class DataOrder
{
    /// <summary>A permutation of 0..count-1 that depends only on (seed, epoch).</summary>
    public static int[] Shuffle(int seed, int epoch, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var order = Enumerable.Range(0, count).ToArray();

        // System.Random with an explicit seed uses a fixed algorithm, stable across runs and machines
        // (HashCode.Combine would not do: it is randomized per process).
        var random = new Random(unchecked((seed * 1_000_003) + epoch));
        random.Shuffle(order);
        return order;
    }
}
