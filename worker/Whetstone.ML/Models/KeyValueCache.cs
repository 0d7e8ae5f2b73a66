using static TorchSharp.torch;

namespace Whetstone.ML.Models;

/// <summary>
/// Keys and values of the tokens seen so far, per layer, so that generation feeds only the new token.
/// Owns its tensors (outside any dispose scope); dispose it when the sequence is done.
/// </summary>
public sealed class KeyValueCache(int layers) : IDisposable
{
    private readonly Tensor?[] _keys = new Tensor?[layers];
    private readonly Tensor?[] _values = new Tensor?[layers];

    /// <summary>Number of positions cached.</summary>
    public long Length => _keys[0]?.shape[2] ?? 0;

    /// <summary>Appends this step's keys and values [batch, kvHeads, time, headDim] for a layer and returns the whole history.</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor newKeys, Tensor newValues)
    {
        _keys[layer] = Extend(_keys[layer], newKeys);
        _values[layer] = Extend(_values[layer], newValues);
        return (_keys[layer]!, _values[layer]!);
    }

    /// <summary>Keeps only the batch rows in <paramref name="rows"/> (for dropping finished sequences).</summary>
    public void SelectRows(Tensor rows)
    {
        for (var layer = 0; layer < _keys.Length; layer++)
        {
            _keys[layer] = Replace(_keys[layer], k => k.index_select(0, rows));
            _values[layer] = Replace(_values[layer], v => v.index_select(0, rows));
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        for (var layer = 0; layer < _keys.Length; layer++)
        {
            _keys[layer]?.Dispose();
            _values[layer]?.Dispose();
            _keys[layer] = null;
            _values[layer] = null;
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
