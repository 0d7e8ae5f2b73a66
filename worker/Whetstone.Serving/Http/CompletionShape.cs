using System.Text.Json.Nodes;
using Whetstone.ModelRuntime;

namespace Whetstone.Serving.Http;

/// <summary>The two OpenAI response shapes: <c>text_completion</c> and <c>chat.completion</c> (and their stream chunks).</summary>
internal sealed record CompletionShape(bool Chat)
{
    public static CompletionShape Text { get; } = new(false);

    public static CompletionShape ChatMessages { get; } = new(true);

    public JsonObject Response(string id, string model, GenerationResult result, int promptTokens) => new()
    {
        ["id"] = id,
        ["object"] = Chat ? "chat.completion" : "text_completion",
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["model"] = model,
        ["choices"] = new JsonArray(Chat
            ? new JsonObject { ["index"] = 0, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = result.Text }, ["finish_reason"] = result.FinishReason }
            : new JsonObject { ["index"] = 0, ["text"] = result.Text, ["logprobs"] = null, ["finish_reason"] = result.FinishReason }),
        ["usage"] = new JsonObject
        {
            ["prompt_tokens"] = promptTokens,
            ["completion_tokens"] = result.TokenIds.Count,
            ["total_tokens"] = promptTokens + result.TokenIds.Count,
        },
    };

    /// <summary>A stream chunk carrying <paramref name="delta"/>; <paramref name="finishReason"/> on the last.</summary>
    public JsonObject Chunk(string id, string model, string? delta, string? finishReason, bool first) => new()
    {
        ["id"] = id,
        ["object"] = Chat ? "chat.completion.chunk" : "text_completion",
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["model"] = model,
        ["choices"] = new JsonArray(Chat
            ? new JsonObject { ["index"] = 0, ["delta"] = ChatDelta(delta, first), ["finish_reason"] = finishReason }
            : new JsonObject { ["index"] = 0, ["text"] = delta ?? "", ["logprobs"] = null, ["finish_reason"] = finishReason }),
    };

    private static JsonObject ChatDelta(string? delta, bool first)
    {
        var node = new JsonObject();
        if (first)
        {
            node["role"] = "assistant";
        }
        if (delta is not null)
        {
            node["content"] = delta;
        }
        return node;
    }
}
