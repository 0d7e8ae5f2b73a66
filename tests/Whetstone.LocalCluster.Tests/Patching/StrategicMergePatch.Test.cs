using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Patching;

namespace Whetstone.LocalCluster.Tests.Patching;

public sealed class StrategicMergePatchTest
{
    private static JsonNode Apply(string target, string patch) => StrategicMergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch))!;

    [Fact]
    public void Containers_merge_by_name_and_env_by_name()
    {
        var result = Apply("""{"spec":{"containers":[{"name":"a","image":"x","env":[{"name":"A","value":"1"}]},{"name":"b","image":"y"}]}}""",
            """{"spec":{"containers":[{"name":"a","env":[{"name":"B","value":"2"}]}]}}""");
        var containers = result["spec"]!["containers"]!.AsArray();
        Assert.Equal(2, containers.Count);
        Assert.Equal("x", containers[0]!["image"]!.GetValue<string>());
        Assert.Equal(2, containers[0]!["env"]!.AsArray().Count);
    }

    [Fact]
    public void Patch_delete_directive_removes_the_keyed_element()
    {
        var result = Apply("""{"env":[{"name":"A"},{"name":"B"}]}""", """{"$setElementOrder/env":[{"name":"A"}],"env":[{"$patch":"delete","name":"B"}]}""");
        Assert.Equal("""[{"name":"A"}]""", result["env"]!.ToJsonString());
    }

    [Fact]
    public void Conditions_merge_by_type_and_finalizers_as_a_set()
    {
        var result = Apply("""{"metadata":{"finalizers":["a"]},"status":{"conditions":[{"type":"Ready","status":"False"},{"type":"Other","status":"True"}]}}""",
            """{"metadata":{"finalizers":["a","b"]},"status":{"conditions":[{"type":"Ready","status":"True"}]}}""");
        Assert.Equal("""["a","b"]""", result["metadata"]!["finalizers"]!.ToJsonString());
        Assert.Equal("True", result["status"]!["conditions"]![0]!["status"]!.GetValue<string>());
        Assert.Equal(2, result["status"]!["conditions"]!.AsArray().Count);
    }

    [Fact]
    public void Null_removes_a_field_and_unkeyed_lists_are_replaced()
    {
        var result = Apply("""{"a":1,"args":["x","y"]}""", """{"a":null,"args":["z"]}""");
        Assert.Equal("""{"args":["z"]}""", result.ToJsonString());
    }
}
