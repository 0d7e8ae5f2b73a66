using Whetstone.Schema.Structural;

namespace Whetstone.Schema.Cel;

/// <summary>A variable an expression may use, with the schema of its value when known (for field checks).</summary>
internal sealed record CelVariable(string Name, SchemaNode? Schema);
