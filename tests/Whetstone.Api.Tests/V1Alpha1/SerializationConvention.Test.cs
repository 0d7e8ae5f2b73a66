using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Api.Tests.V1Alpha1;

public sealed partial class SerializationConventionTest
{
    [Fact]
    public void A_new_object_serializes_without_nulls_and_without_status()
    {
        var job = new FineTuneJob { Metadata = new V1ObjectMeta { Name = "a" } };

        var json = KubernetesJson.Serialize(job);

        Assert.DoesNotContain("null", json, StringComparison.Ordinal);
        Assert.Null(JsonNode.Parse(json)!["status"]);
        Assert.Equal("whetstone.dev/v1alpha1", JsonNode.Parse(json)!["apiVersion"]!.GetValue<string>());
        Assert.Equal("FineTuneJob", JsonNode.Parse(json)!["kind"]!.GetValue<string>());
    }

    [Fact]
    public void Field_names_are_the_camelCase_names_of_the_api_document()
    {
        var rollout = new ModelRollout
        {
            Spec = new ModelRolloutSpec
            {
                TrafficRouting = new TrafficRouting { GatewayAPI = new GatewayApiRouting { HttpRoute = "r" }, ReplicaRatio = new ReplicaRatioRouting() },
            },
        };
        var job = new FineTuneJob
        {
            Spec = new FineTuneJobSpec { Dataset = new FineTuneDataset { Preprocessing = new DatasetPreprocessing { RedactPII = ["email"] } } },
            Status = new FineTuneJobStatus { LossHistory = [new LossPoint { TrainLoss = 1 }], WorkerPod = "p" },
        };

        var rolloutJson = JsonNode.Parse(KubernetesJson.Serialize(rollout))!;
        var jobJson = JsonNode.Parse(KubernetesJson.Serialize(job))!;

        Assert.Equal("r", rolloutJson["spec"]!["trafficRouting"]!["gatewayAPI"]!["httpRoute"]!.GetValue<string>());
        Assert.NotNull(rolloutJson["spec"]!["trafficRouting"]!["replicaRatio"]);
        Assert.Equal("email", jobJson["spec"]!["dataset"]!["preprocessing"]!["redactPII"]![0]!.GetValue<string>());
        Assert.Equal(1, jobJson["status"]!["lossHistory"]![0]!["trainLoss"]!.GetValue<double>());
        Assert.Equal("p", jobJson["status"]!["workerPod"]!.GetValue<string>());
        Assert.All(Keys(rolloutJson).Concat(Keys(jobJson)), key => Assert.Matches(CamelCase(), key));
    }

    [Fact]
    public void Count_maps_keep_keys_the_types_do_not_name()
    {
        var yaml = """
            apiVersion: whetstone.dev/v1alpha1
            kind: FineTuneJob
            metadata: {name: a}
            spec: {}
            status:
              dataset:
                dropped: {empty: 1, aReasonAddedLater: 7}
                redactions: {email: 2, passportNumber: 3}
            """;

        var job = KubernetesYaml.Deserialize<FineTuneJob>(yaml, strict: true);
        var json = JsonNode.Parse(KubernetesJson.Serialize(job))!;

        Assert.Equal(7, job.Status!.Dataset!.Dropped!["aReasonAddedLater"]);
        Assert.Equal(7, json["status"]!["dataset"]!["dropped"]!["aReasonAddedLater"]!.GetValue<long>());
        Assert.Equal(3, json["status"]!["dataset"]!["redactions"]!["passportNumber"]!.GetValue<long>());
    }

    [Fact]
    public void Quantities_and_durations_are_written_as_strings()
    {
        var yaml = """
            apiVersion: whetstone.dev/v1alpha1
            kind: FineTuneJob
            metadata: {name: a}
            spec: {resources: {cpu: 4, memory: 16Gi}}
            """;

        var job = KubernetesYaml.Deserialize<FineTuneJob>(yaml, strict: true);
        var json = JsonNode.Parse(KubernetesJson.Serialize(job))!;

        Assert.Equal("4", json["spec"]!["resources"]!["cpu"]!.GetValue<string>());
        Assert.Equal("16Gi", json["spec"]!["resources"]!["memory"]!.GetValue<string>());
        var pause = JsonNode.Parse(KubernetesJson.Serialize(new PauseStep { Duration = "10m" }))!;
        Assert.Equal("10m", pause["duration"]!.GetValue<string>());
    }

    [Fact]
    public void Strict_yaml_reading_rejects_a_field_the_types_do_not_have()
    {
        var yaml = """
            apiVersion: whetstone.dev/v1alpha1
            kind: FineTuneJob
            metadata: {name: a}
            spec: {hyperparameters: {epoch: 3}}
            """;

        Assert.ThrowsAny<YamlDotNet.Core.YamlException>(() => KubernetesYaml.Deserialize<FineTuneJob>(yaml, strict: true));
    }

    private static IEnumerable<string> Keys(JsonNode node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => Keys(p.Value!).Prepend(p.Key)),
        JsonArray array => array.SelectMany(i => i is null ? [] : Keys(i)),
        _ => [],
    };

    [GeneratedRegex("^[a-z][A-Za-z0-9]*$")]
    private static partial Regex CamelCase();
}
