namespace Whetstone.ML.Tokenization;

/// <summary>The special tokens of Whetstone's own tokenizers and chat format.</summary>
public static class ChatSpecialTokens
{
    /// <summary>Padding.</summary>
    public const string Pad = "<|pad|>";

    /// <summary>Beginning of a sequence.</summary>
    public const string Bos = "<|bos|>";

    /// <summary>End of a sequence, and of each chat turn.</summary>
    public const string Eos = "<|eos|>";

    /// <summary>Starts a system turn.</summary>
    public const string System = "<|system|>";

    /// <summary>Starts a user turn.</summary>
    public const string User = "<|user|>";

    /// <summary>Starts an assistant turn.</summary>
    public const string Assistant = "<|assistant|>";

    /// <summary>All of them, in the id order a new tokenizer gives them (pad is id 0).</summary>
    public static IReadOnlyList<string> All { get; } = [Pad, Bos, Eos, System, User, Assistant];

    /// <summary>The turn marker of a chat role ("system", "user" or "assistant").</summary>
    public static string ForRole(string role) => role switch
    {
        "system" => System,
        "user" => User,
        "assistant" => Assistant,
        _ => throw new ArgumentException($"chat role '{role}' is not one of system, user, assistant", nameof(role)),
    };
}
