using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Api;
using Whetstone.LocalCluster.Patching;

namespace Whetstone.LocalCluster.Tests.Patching;

public sealed class JsonPatchTest
{
    [Fact]
    public void Operations_apply_in_order()
    {
        var result = JsonPatch.Apply(JsonNode.Parse("""{"a":{"b":1},"list":[1,2]}""")!, JsonNode.Parse("""
            [{"op":"add","path":"/list/-","value":3},{"op":"replace","path":"/a/b","value":2},{"op":"move","from":"/a","path":"/c"},
             {"op":"copy","from":"/c","path":"/d"},{"op":"remove","path":"/list/0"},{"op":"test","path":"/d/b","value":2}]
            """)!.AsArray());
        Assert.Equal("""{"list":[2,3],"c":{"b":2},"d":{"b":2}}""", result.ToJsonString());
    }

    [Fact]
    public void A_failed_test_or_missing_path_is_rejected_with_422()
    {
        Assert.Equal(422, Assert.Throws<ApiException>(() => JsonPatch.Apply(JsonNode.Parse("""{"a":1}""")!, JsonNode.Parse("""[{"op":"test","path":"/a","value":2}]""")!.AsArray())).Code);
        Assert.Equal(422, Assert.Throws<ApiException>(() => JsonPatch.Apply(JsonNode.Parse("""{"a":1}""")!, JsonNode.Parse("""[{"op":"remove","path":"/b"}]""")!.AsArray())).Code);
    }
}
