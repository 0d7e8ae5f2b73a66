using System.Text.Json.Nodes;

namespace Whetstone.Schema.Validation;

/// <summary>An object after pruning and defaulting, with the unknown-field errors or warnings found on the way.</summary>
internal sealed record NormalizedObject(JsonNode? Value, IReadOnlyList<FieldError> Errors, IReadOnlyList<string> Warnings);
