using Whetstone.ModelRuntime.Batching;
using static TorchSharp.torch;

namespace Whetstone.ModelRuntime.TorchSharp;

/// <summary><see cref="TokenBatch"/> as TorchSharp tensors on a device.</summary>
internal static class PaddedBatch
{
    /// <summary>Real tokens first, padding after (for logits and scoring).</summary>
    public static (Tensor Ids, Tensor Mask) RightPadded(IReadOnlyList<IReadOnlyList<long>> rows, long padId, Device device) =>
        ToTensors(TokenBatch.RightPadded(rows, padId), device);

    /// <summary>Padding first, real tokens last (for generation).</summary>
    public static (Tensor Ids, Tensor Mask) LeftPadded(IReadOnlyList<IReadOnlyList<long>> rows, long padId, Device device) =>
        ToTensors(TokenBatch.LeftPadded(rows, padId), device);

    private static (Tensor Ids, Tensor Mask) ToTensors(TokenBatch batch, Device device) => (
        tensor(batch.Ids, dtype: ScalarType.Int64, device: device).view(batch.Rows, batch.Width),
        tensor(batch.Mask, dtype: ScalarType.Int64, device: device).view(batch.Rows, batch.Width));
}
