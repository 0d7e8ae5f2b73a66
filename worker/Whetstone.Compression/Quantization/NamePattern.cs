using System.Text.RegularExpressions;

namespace Whetstone.Compression.Quantization;

/// <summary>A glob over layer (weight initializer) or node names: <c>*</c> any run of characters, <c>?</c> one character.</summary>
public sealed class NamePattern
{
    private readonly Regex _regex;

    /// <summary>Compiles <paramref name="glob"/>; the whole name must match.</summary>
    public NamePattern(string glob)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(glob);
        Glob = glob;
        _regex = new Regex("^" + Regex.Escape(glob).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    /// <summary>The pattern as written.</summary>
    public string Glob { get; }

    /// <summary>True when any of <paramref name="names"/> matches.</summary>
    public bool Matches(params string?[] names) => names.Any(n => n is not null && _regex.IsMatch(n));
}
