using static TorchSharp.torch;

namespace Whetstone.ModelRuntime.TorchSharp;

/// <summary>Token id rows of different lengths as one [batch, width] id tensor and its 1/0 attention mask.</summary>
internal static class PaddedBatch
{
    /// <summary>Real tokens first, padding after (for logits and scoring).</summary>
    public static (Tensor Ids, Tensor Mask) RightPadded(IReadOnlyList<IReadOnlyList<long>> rows, long padId, Device device) =>
        Build(rows, padId, device, left: false);

    /// <summary>Padding first, real tokens last (for generation: every row's newest token is in the last column).</summary>
    public static (Tensor Ids, Tensor Mask) LeftPadded(IReadOnlyList<IReadOnlyList<long>> rows, long padId, Device device) =>
        Build(rows, padId, device, left: true);

    private static (Tensor Ids, Tensor Mask) Build(IReadOnlyList<IReadOnlyList<long>> rows, long padId, Device device, bool left)
    {
        var width = Math.Max(1, rows.Max(r => r.Count));
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
        return (
            tensor(ids, dtype: ScalarType.Int64, device: device).view(rows.Count, width),
            tensor(mask, dtype: ScalarType.Int64, device: device).view(rows.Count, width));
    }
}
