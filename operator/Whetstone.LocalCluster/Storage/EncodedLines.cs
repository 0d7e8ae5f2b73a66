namespace Whetstone.LocalCluster.Storage;

/// <summary>
/// The encoded watch lines of one event, one per form watchers asked for (event type, apiVersion, Table or not):
/// the first watcher that needs a form encodes it, every other watcher writes the same bytes.
/// </summary>
internal sealed class EncodedLines
{
    private readonly Lock _lock = new();
    private WatchLineForm _firstForm;
    private byte[]? _first;
    private List<(WatchLineForm Form, byte[] Bytes)>? _more;

    /// <summary>The bytes of <paramref name="form"/>, encoded by <paramref name="encode"/> only when no watcher did yet.</summary>
    public byte[] GetOrAdd<TState>(WatchLineForm form, TState state, Func<TState, byte[]> encode)
    {
        lock (_lock)
        {
            if (_first is not null && _firstForm == form)
            {
                return _first;
            }
            foreach (var (known, bytes) in _more ?? [])
            {
                if (known == form)
                {
                    return bytes;
                }
            }
            var encoded = encode(state);
            if (_first is null)
            {
                (_firstForm, _first) = (form, encoded);
            }
            else
            {
                (_more ??= []).Add((form, encoded));
            }
            return encoded;
        }
    }
}

/// <summary>
/// What a watch line's bytes depend on: the event type the watcher sees, the apiVersion it watches, and for Table
/// watches the <c>includeObject</c> choice (null for plain JSON).
/// </summary>
internal readonly record struct WatchLineForm(string EventType, string ApiVersion, string? TableIncludeObject);
