namespace Whetstone.ModelRuntime.Batching;

/// <summary>
/// Token id rows of different lengths as one row-major [rows, width] id array and its 1/0 attention mask,
/// right-padded (real tokens first: logits, scoring) or left-padded (real tokens last: generation, where every
/// row's newest token is in the last column).
/// </summary>
public sealed record TokenBatch(long[] Ids, long[] Mask, int Rows, int Width)
{
    /// <summary>Real tokens first, then padding.</summary>
    public static TokenBatch RightPadded(IReadOnlyList<IReadOnlyList<long>> rows, long padId) => Build(rows, padId, left: false);

    /// <summary>Padding first, then the real tokens.</summary>
    public static TokenBatch LeftPadded(IReadOnlyList<IReadOnlyList<long>> rows, long padId) => Build(rows, padId, left: true);

    private static TokenBatch Build(IReadOnlyList<IReadOnlyList<long>> rows, long padId, bool left)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var width = Math.Max(1, rows.Count == 0 ? 0 : rows.Max(r => r.Count));
        var ids = new long[rows.Count * width];
        var mask = new long[rows.Count * width];
        for (var row = 0; row < rows.Count; row++)
        {
            var offset = left ? width - rows[row].Count : 0;
            for (var i = 0; i < width; i++)
            {
                var index = i - offset;
                var real = index >= 0 && index < rows[row].Count;
                ids[row * width + i] = real ? rows[row][index] : padId;
                mask[row * width + i] = real ? 1 : 0;
            }
        }
        return new TokenBatch(ids, mask, rows.Count, width);
    }
}
