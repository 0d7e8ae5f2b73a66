using System.Text.Json.Nodes;
using k8s;
using Whetstone.Api.Serialization;

namespace Whetstone.Api.Tests.V1Alpha1;

public sealed class RoundTripTest
{
    public static TheoryData<string> Manifests() => ManifestCases.All();

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Yaml_to_types_to_json_keeps_every_field(string manifest)
    {
        var yaml = ManifestCases.Read(manifest);
        var expected = JsonYaml.Parse(yaml);

        var typed = ManifestCases.DeserializeYaml(yaml, Kind(expected));
        var actual = JsonNode.Parse(KubernetesJson.Serialize(typed));

        JsonDifferences.AssertNone(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Json_to_types_to_json_keeps_every_field(string manifest)
    {
        var expected = JsonYaml.Parse(ManifestCases.Read(manifest));

        var typed = ManifestCases.DeserializeJson(expected.ToJsonString(), Kind(expected));
        var actual = JsonNode.Parse(KubernetesJson.Serialize(typed));

        JsonDifferences.AssertNone(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Types_to_yaml_and_back_keeps_every_field(string manifest)
    {
        var yaml = ManifestCases.Read(manifest);
        var expected = JsonYaml.Parse(yaml);

        var typed = ManifestCases.DeserializeYaml(yaml, Kind(expected));
        var actual = JsonYaml.Parse(KubernetesYaml.Serialize(typed));

        JsonDifferences.AssertNone(expected, actual, numericStringsEqualNumbers: true);
    }

    private static string Kind(JsonNode manifest) => manifest["kind"]!.GetValue<string>();
}
