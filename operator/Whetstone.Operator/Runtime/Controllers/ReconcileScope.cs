namespace Whetstone.Operator.Runtime.Controllers;

/// <summary>
/// The logging scope around one reconcile, so that every line logged while it runs (by the controller, its clients,
/// the event recorder…) names the object: the text format shows <c>=&gt; FineTuneJob default/support-lora</c>, the
/// JSON format a scope object with <c>Kind</c>, <c>Namespace</c>, <c>Name</c> and <c>Object</c>.
/// </summary>
public sealed class ReconcileScope : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _pairs;

    /// <summary>The scope of a reconcile of <paramref name="key"/> (<c>namespace/name</c>, or <c>name</c> for a cluster-scoped object).</summary>
    /// <param name="kind">The object's kind, for example <c>FineTuneJob</c>.</param>
    /// <param name="key">The work-queue key, <c>namespace/name</c> or <c>name</c>.</param>
    public ReconcileScope(string kind, string key)
    {
        Kind = kind;
        Key = key;
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        Namespace = slash < 0 ? "" : key[..slash];
        Name = slash < 0 ? key : key[(slash + 1)..];
        _pairs =
        [
            new("Kind", Kind),
            new("Namespace", Namespace),
            new("Name", Name),
            new("Object", Key),
        ];
    }

    /// <summary>The object's kind.</summary>
    public string Kind { get; }

    /// <summary>The object's namespace; empty for a cluster-scoped object.</summary>
    public string Namespace { get; }

    /// <summary>The object's name.</summary>
    public string Name { get; }

    /// <summary><c>namespace/name</c> (or <c>name</c>).</summary>
    public string Key { get; }

    /// <inheritdoc />
    public int Count => _pairs.Length;

    /// <inheritdoc />
    public KeyValuePair<string, object?> this[int index] => _pairs[index];

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_pairs).GetEnumerator();

    /// <inheritdoc />
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary><c>Kind namespace/name</c>, what the text format prints after <c>=&gt;</c>.</summary>
    public override string ToString() => $"{Kind} {Key}";
}
