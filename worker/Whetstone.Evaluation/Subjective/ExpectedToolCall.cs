using System.Text.Json;

namespace Whetstone.Evaluation.Subjective;

/// <summary>A tool call: the tool's name and its JSON arguments (an object).</summary>
/// <param name="Name">Tool name, compared exactly.</param>
/// <param name="Arguments">The arguments, compared structurally (key order ignored, numbers by value).</param>
public sealed record ExpectedToolCall(string Name, JsonElement Arguments);
