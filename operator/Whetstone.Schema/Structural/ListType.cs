namespace Whetstone.Schema.Structural;

/// <summary><c>x-kubernetes-list-type</c>: how list items are identified.</summary>
internal enum ListType
{
    /// <summary>The list is one value (the default).</summary>
    Atomic,

    /// <summary>Scalar items that must be unique.</summary>
    Set,

    /// <summary>Object items identified by <c>x-kubernetes-list-map-keys</c>, which must be unique.</summary>
    Map,
}
