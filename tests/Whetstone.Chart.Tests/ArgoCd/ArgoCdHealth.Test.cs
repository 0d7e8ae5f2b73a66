using System.Text.Json.Nodes;
using Whetstone.Chart.Tests.Rendering;

namespace Whetstone.Chart.Tests.ArgoCd;

/// <summary>
/// The Argo CD health checks and actions in argocd/resource_customizations, run with lua5.1 on every case of each
/// kind's health_test.yaml and actions/action_test.yaml (Argo CD's own test layout).
/// </summary>
public sealed class ArgoCdHealthTest
{
    public static TheoryData<string, string> HealthCases => Cases("health_test.yaml", "tests", c => (string)c["inputPath"]!);

    public static TheoryData<string, string> DiscoveryCases => Cases(Path.Combine("actions", "action_test.yaml"), "discoveryTests", c => (string)c["inputPath"]!);

    public static TheoryData<string, string> ActionCases => Cases(Path.Combine("actions", "action_test.yaml"), "actionTests", c => $"{c["action"]} {c["inputPath"]}");

    [Theory]
    [MemberData(nameof(HealthCases))]
    public async Task Health_of_a_recorded_status_is_the_expected_one(string kind, string inputPath)
    {
        var directory = Path.Combine(LuaScripts.Root, kind);
        var expected = Case(directory, "health_test.yaml", "tests", c => (string)c["inputPath"]! == inputPath)["healthStatus"]!;

        var health = await LuaScripts.RunAsync("health", Path.Combine(directory, "health.lua"), Path.Combine(directory, inputPath));

        Assert.Equal((string)expected["status"]!, (string)health["status"]!);
        Assert.Equal((string)expected["message"]!, (string)health["message"]!);
    }

    [Theory]
    [MemberData(nameof(DiscoveryCases))]
    public async Task Actions_are_offered_only_where_they_apply(string kind, string inputPath)
    {
        var directory = Path.Combine(LuaScripts.Root, kind, "actions");
        var expected = Case(directory, "action_test.yaml", "discoveryTests", c => (string)c["inputPath"]! == inputPath)["result"]!.AsArray();

        var actions = (await LuaScripts.RunAsync("discovery", Path.Combine(directory, "discovery.lua"), Path.Combine(directory, inputPath))).AsObject();

        Assert.Equal(expected.Select(a => (string)a!["name"]!).Order(), actions.Select(a => a.Key).Order());
        Assert.All(expected, a => Assert.Equal((bool)a!["disabled"]!, (bool)actions[(string)a["name"]!]!["disabled"]!));
    }

    [Theory]
    [MemberData(nameof(ActionCases))]
    public async Task An_action_changes_the_object_as_recorded(string kind, string actionAndInput)
    {
        var directory = Path.Combine(LuaScripts.Root, kind, "actions");
        var test = Case(directory, "action_test.yaml", "actionTests", c => $"{c["action"]} {c["inputPath"]}" == actionAndInput);

        var output = await LuaScripts.RunAsync("action", Path.Combine(directory, (string)test["action"]!, "action.lua"), Path.Combine(directory, (string)test["inputPath"]!));

        var expected = YamlJson.Parse(File.ReadAllText(Path.Combine(directory, (string)test["expectedOutputPath"]!)));
        Assert.True(JsonNode.DeepEquals(EmptyAsNull(expected), EmptyAsNull(output)), $"expected {expected.ToJsonString()}\nactual   {output.ToJsonString()}");
    }

    [Fact]
    public void Every_kind_has_a_health_check_and_actions()
    {
        foreach (var kind in new[] { "FineTuneJob", "CompressionJob", "EvaluationRun", "ModelRollout" })
        {
            Assert.True(File.Exists(Path.Combine(LuaScripts.Root, kind, "health.lua")), kind);
            Assert.True(File.Exists(Path.Combine(LuaScripts.Root, kind, "actions", "discovery.lua")), kind);
        }
    }

    // A Lua table cannot tell an empty object from an empty list ({"pause": {}} comes back as []), so neither counts.
    private static JsonNode? EmptyAsNull(JsonNode? node) => node switch
    {
        JsonObject { Count: 0 } or JsonArray { Count: 0 } => null,
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, EmptyAsNull(p.Value)))),
        JsonArray a => new JsonArray(a.Select(EmptyAsNull).ToArray()),
        _ => node?.DeepClone(),
    };

    private static TheoryData<string, string> Cases(string file, string list, Func<JsonNode, string> name)
    {
        var data = new TheoryData<string, string>();
        foreach (var directory in Directory.GetDirectories(LuaScripts.Root).Order(StringComparer.Ordinal))
        {
            var path = Path.Combine(directory, file);
            if (!File.Exists(path))
            {
                continue;
            }

            foreach (var item in YamlJson.Parse(File.ReadAllText(path))[list]!.AsArray())
            {
                data.Add(Path.GetFileName(directory), name(item!));
            }
        }

        return data;
    }

    private static JsonNode Case(string directory, string file, string list, Func<JsonNode, bool> match) =>
        Assert.Single(YamlJson.Parse(File.ReadAllText(Path.Combine(directory, file)))[list]!.AsArray(), c => match(c!))!;
}
