namespace Whetstone.Reliability.Tests.Fuzzing;

/// <summary>How a valid manifest was broken (or kept) to make one fuzz case.</summary>
public enum ManifestMutation
{
    /// <summary>A field's value replaced by a value of another JSON type.</summary>
    WrongType,

    /// <summary>A field the schema requires removed.</summary>
    MissingRequired,

    /// <summary>A number below its minimum or above its maximum, a string past its length or pattern, a value outside its enum.</summary>
    OutOfRange,

    /// <summary>A file of <c>examples/invalid</c>: a cross-field (CEL) rule or a format rule broken.</summary>
    BrokenRule,

    /// <summary>A string field set to 1 MiB of text, or an annotation to 1 MiB or 200 KiB.</summary>
    HugeString,

    /// <summary>An unknown field holding objects or lists nested hundreds or thousands of levels deep.</summary>
    DeepNesting,

    /// <summary>A string set to unusual unicode: emoji, combining and right-to-left text, NUL and control characters, a lone surrogate, invalid UTF-8.</summary>
    Unicode,

    /// <summary>A field the schema does not declare.</summary>
    UnknownField,

    /// <summary>null where an object or a list is expected.</summary>
    NullValue,

    /// <summary>metadata broken: a name of the wrong type or syntax, labels or annotations that are not strings, metadata not an object.</summary>
    Metadata,

    /// <summary>A body that is not a well-formed document: cut short, YAML with duplicate or non-scalar keys, tabs, alias bombs.</summary>
    MalformedBody,
}
