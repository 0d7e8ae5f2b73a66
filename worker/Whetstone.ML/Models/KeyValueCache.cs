using static TorchSharp.torch;

namespace Whetstone.ML.Models;

/// <summary>
/// Keys and values of the tokens seen so far, per layer, so that generation feeds only the new token.
/// Owns its tensors (outside any dispose scope); dispose it when the sequence is done.
/// </summary>
public sealed class KeyValueCache(int layers) : IDisposable
{
    private readonly Tensor?[] keys = new Tensor?[layers];
    private readonly Tensor?[] values = new Tensor?[layers];

    /// <summary>Number of positions cached.</summary>
    public long Length => keys[0]?.shape[2] ?? 0;

    /// <summary>Appends this step's keys and values [batch, kvHeads, time, headDim] for a layer and returns the whole history.</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor newKeys, Tensor newValues)
    {
        keys[layer] = Extend(keys[layer], newKeys);
        values[layer] = Extend(values[layer], newValues);
        return (keys[layer]!, values[layer]!);
    }

    /// <summary>Keeps only the batch rows in <paramref name="rows"/> (for dropping finished sequences).</summary>
    public void SelectRows(Tensor rows)
    {
        for (var layer = 0; layer < keys.Length; layer++)
        {
            keys[layer] = Replace(keys[layer], k => k.index_select(0, rows));
            values[layer] = Replace(values[layer], v => v.index_select(0, rows));
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        for (var layer = 0; layer < keys.Length; layer++)
        {
            keys[layer]?.Dispose();
            values[layer]?.Dispose();
            keys[layer] = null;
            values[layer] = null;
        }
    }

    private static Tensor Extend(Tensor? history, Tensor step) =>
        Replace(history, h => cat([h, step], 2)) ?? step.detach().DetachFromDisposeScope();

    private static Tensor? Replace(Tensor? old, Func<Tensor, Tensor> change)
    {
        if (old is null)
        {
            return null;
        }
        var updated = change(old).detach().DetachFromDisposeScope();
        old.Dispose();
        return updated;
    }
}
