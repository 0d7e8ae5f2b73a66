namespace Whetstone.Compression.Pruning;

/// <summary>
/// How many attention heads structured pruning keeps in every layer. The configuration has one head count for all
/// layers and query heads come in groups sharing a key/value head, so the kept layout is <see cref="KeyValueHeads"/>
/// groups of <see cref="QueriesPerGroup"/> query heads: the pair whose kept fraction is nearest the target.
/// </summary>
/// <param name="KeyValueHeads">Key/value heads kept per layer.</param>
/// <param name="QueriesPerGroup">Query heads kept per key/value head.</param>
public sealed record HeadLayout(int KeyValueHeads, int QueriesPerGroup)
{
    /// <summary>Query heads kept per layer.</summary>
    public int QueryHeads => KeyValueHeads * QueriesPerGroup;

    /// <summary>
    /// The layout nearest to keeping <c>1 - sparsity</c> of <paramref name="queryHeads"/>; on a tie the one that keeps
    /// more key/value heads (each is shared by a whole group of queries). At least one head always stays.
    /// </summary>
    public static HeadLayout Choose(int queryHeads, int keyValueHeads, double sparsity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keyValueHeads, 1);
        if (queryHeads % keyValueHeads != 0)
        {
            throw new ArgumentException($"{keyValueHeads} key/value heads do not divide {queryHeads} query heads", nameof(keyValueHeads));
        }
        var groups = queryHeads / keyValueHeads;
        var target = (1 - sparsity) * queryHeads;
        HeadLayout? best = null;
        var bestDistance = double.MaxValue;
        for (var kv = keyValueHeads; kv >= 1; kv--)
        {
            for (var perGroup = groups; perGroup >= 1; perGroup--)
            {
                var distance = Math.Abs(kv * perGroup - target);
                if (distance < bestDistance - 1e-9)
                {
                    (best, bestDistance) = (new HeadLayout(kv, perGroup), distance);
                }
            }
        }
        return best!;
    }
}
