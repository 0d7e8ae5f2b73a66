using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Tables;

namespace Whetstone.LocalCluster.Tests.Tables;

public sealed class SimpleJsonPathTest
{
    private static readonly JsonNode Obj = JsonNode.Parse("""
        {"spec":{"size":3,"items":[{"n":"a"},{"n":"b"}]},"status":{"conditions":[{"type":"Ready","status":"True"},{"type":"Failed","status":"False"}]}}
        """)!;

    [Theory]
    [InlineData(".spec.size", "3")]
    [InlineData(".spec.items[1].n", "\"b\"")]
    [InlineData(".spec.items[*].n", "\"a\",\"b\"")]
    [InlineData(".status.conditions[?(@.type==\"Ready\")].status", "\"True\"")]
    [InlineData(".status.missing", "")]
    public void Printer_column_paths_evaluate(string path, string expected) =>
        Assert.Equal(expected, string.Join(",", SimpleJsonPath.Evaluate(Obj, path).Select(n => n.ToJsonString())));
}
