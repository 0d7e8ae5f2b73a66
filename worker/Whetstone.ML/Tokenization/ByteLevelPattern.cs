using System.Text.RegularExpressions;

namespace Whetstone.ML.Tokenization;

/// <summary>
/// The GPT-2 pre-tokenization pattern byte-level BPE uses: words keep their leading space, numbers and
/// punctuation runs split apart, so merges never cross word boundaries.
/// </summary>
public static partial class ByteLevelPattern
{
    /// <summary>The pattern text, as Hugging Face's ByteLevel pre-tokenizer applies it.</summary>
    public const string Gpt2 = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>The compiled GPT-2 pattern.</summary>
    [GeneratedRegex(Gpt2)]
    public static partial Regex Gpt2Regex();
}
