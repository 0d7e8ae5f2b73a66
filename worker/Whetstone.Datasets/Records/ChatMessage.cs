namespace Whetstone.Datasets.Records;

/// <summary>One message of a chat record.</summary>
/// <param name="Role">Who speaks.</param>
/// <param name="Content">What is said.</param>
public sealed record ChatMessage(ChatRole Role, string Content)
{
    /// <summary>The role name as written in files: system, user, assistant.</summary>
    public string RoleName => Role switch
    {
        ChatRole.System => "system",
        ChatRole.User => "user",
        _ => "assistant",
    };

    /// <summary>Parses a role name (exact, lower case); null when unknown.</summary>
    public static ChatRole? ParseRole(string name) => name switch
    {
        "system" => ChatRole.System,
        "user" => ChatRole.User,
        "assistant" => ChatRole.Assistant,
        _ => null,
    };
}
