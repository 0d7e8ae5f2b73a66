namespace Whetstone.ModelRuntime.Generation;

/// <summary>
/// Iteration-level batching over one cached decoding: rows join between steps (<see cref="Admit"/>), every step
/// runs one forward pass for all rows still decoding (<see cref="Step"/>), and a row leaves the batch at the step
/// after it finished or was abandoned. Not thread-safe, except <see cref="DecodingRow.Leave"/>.
/// </summary>
public sealed class ContinuousBatch(Func<ICachedDecoding> startDecoding) : IDisposable
{
    private readonly List<DecodingRow> _rows = [];
    private ICachedDecoding? _decoding;

    /// <summary>Rows still decoding (finished or departed rows leave at the next step).</summary>
    public int DecodingCount => _rows.Count(row => row.IsDecoding);

    /// <summary>
    /// Prefills <paramref name="rows"/> in one forward pass, joins them to the running batch and picks each one's
    /// first token. Joining a running batch needs an <see cref="IAdmittingDecoding"/>.
    /// </summary>
    public void Admit(IReadOnlyList<DecodingRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }
        foreach (var row in rows)
        {
            row.StartClock();
        }
        var prompts = rows.Select(row => row.Prompt).ToList();
        float[][] logits;
        if (_decoding is null)
        {
            _decoding = startDecoding();
            logits = _decoding.Start(prompts);
        }
        else
        {
            logits = _decoding is IAdmittingDecoding admitting
                ? admitting.Admit(prompts)
                : throw new NotSupportedException("this backend's cached decoding cannot admit sequences into a running batch");
        }
        _rows.AddRange(rows);
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i].Choose(logits[i]);
        }
    }

    /// <summary>
    /// Drops finished and departed rows, feeds every other row its last token in one forward pass and picks its
    /// next one. Returns the rows that got a token (none once every row is done, and the decoding is released).
    /// </summary>
    public IReadOnlyList<DecodingRow> Step()
    {
        var kept = Enumerable.Range(0, _rows.Count).Where(position => _rows[position].IsDecoding).ToList();
        if (kept.Count == 0)
        {
            Release();
            return [];
        }
        var logits = _decoding!.Continue(kept, [.. kept.Select(position => _rows[position].LastToken)]);
        var advanced = kept.Select(position => _rows[position]).ToList();
        _rows.Clear();
        _rows.AddRange(advanced);
        for (var i = 0; i < advanced.Count; i++)
        {
            advanced[i].Choose(logits[i]);
        }
        return advanced;
    }

    /// <inheritdoc/>
    public void Dispose() => Release();

    private void Release()
    {
        _rows.Clear();
        _decoding?.Dispose();
        _decoding = null;
    }
}
