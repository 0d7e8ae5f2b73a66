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

    /// <summary>
    /// Appends the rows of <paramref name="other"/> after this cache's rows (admitting sequences into a running
    /// batch). The shorter history is left-padded along time with zeros; the caller pads its attention mask with 0
    /// there, so the zeros are never attended to. <paramref name="other"/> keeps its own tensors.
    /// </summary>
    public void AppendRows(KeyValueCache other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._keys.Length != _keys.Length)
        {
            throw new ArgumentException($"the caches hold {_keys.Length} and {other._keys.Length} layers", nameof(other));
        }
        var width = Math.Max(Length, other.Length);
        for (var layer = 0; layer < _keys.Length; layer++)
        {
            _keys[layer] = Concatenate(_keys[layer], other._keys[layer], width);
            _values[layer] = Concatenate(_values[layer], other._values[layer], width);
        }
    }

    /// <summary>Drops the oldest <paramref name="count"/> positions of every row (columns every row masks out).</summary>
    public void DropOldest(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Length);
        if (count == 0)
        {
            return;
        }
        var kept = Length - count;
        for (var layer = 0; layer < _keys.Length; layer++)
        {
            _keys[layer] = Replace(_keys[layer], k => k.narrow(2, count, kept));
            _values[layer] = Replace(_values[layer], v => v.narrow(2, count, kept));
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

    private static Tensor? Concatenate(Tensor? mine, Tensor? theirs, long width)
    {
        if (mine is null || theirs is null)
        {
            return mine is null ? theirs?.clone().detach().DetachFromDisposeScope() : mine;
        }
        using var scope = NewDisposeScope();
        var joined = cat([PadOldest(mine, width), PadOldest(theirs, width)], 0).detach().DetachFromDisposeScope();
        mine.Dispose();
        return joined;
    }

    // [batch, heads, time, headDim] → [batch, heads, width, headDim], zeros before the oldest position.
    private static Tensor PadOldest(Tensor history, long width) =>
        history.shape[2] == width ? history.alias() : nn.functional.pad(history, [0, 0, width - history.shape[2], 0]);

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
