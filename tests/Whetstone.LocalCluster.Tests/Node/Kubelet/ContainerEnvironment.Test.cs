using System.Text;
using k8s.Models;
using Whetstone.LocalCluster.Node.Kubelet;
using static Whetstone.LocalCluster.Tests.Node.PodObjects;

namespace Whetstone.LocalCluster.Tests.Node.Kubelet;

public sealed class ContainerEnvironmentTest
{
    private static readonly V1ConfigMap Settings = new()
    {
        Metadata = new V1ObjectMeta { Name = "settings" },
        Data = new Dictionary<string, string> { ["MODE"] = "fast", ["LEVEL"] = "3", ["bad name"] = "skipped" },
    };

    private static readonly V1Secret Credentials = new()
    {
        Metadata = new V1ObjectMeta { Name = "credentials" },
        Data = new Dictionary<string, byte[]> { ["token"] = Encoding.UTF8.GetBytes("s3cr3t") },
    };

    private static EnvironmentSources Sources(bool withConfigMap = true) => new(
        withConfigMap ? new Dictionary<string, V1ConfigMap> { ["settings"] = Settings } : [],
        new Dictionary<string, V1Secret> { ["credentials"] = Credentials },
        "127.0.0.1",
        "127.10.0.7",
        new Dictionary<string, ResourceQuantity> { ["cpu"] = new("4"), ["memory"] = new("8Gi") });

    private static EnvironmentResolution Resolve(V1Pod pod, bool withConfigMap = true) =>
        ContainerEnvironment.Resolve(pod, pod.Spec.Containers[0], Sources(withConfigMap), new Dictionary<string, string> { ["PORT"] = "8080" });

    [Fact]
    public void EnvFrom_comes_first_with_its_prefix_and_env_overrides_it()
    {
        var pod = Pod("p", c =>
        {
            c.EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "settings" }, Prefix = "APP_" }];
            c.Env = [new V1EnvVar { Name = "APP_MODE", Value = "slow" }];
        });

        var variables = Resolve(pod).Variables;

        Assert.Equal("slow", variables["APP_MODE"]);
        Assert.Equal("3", variables["APP_LEVEL"]);
        Assert.DoesNotContain("APP_bad name", variables.Keys);
    }

    [Fact]
    public void Values_come_from_config_map_keys_secret_keys_and_the_downward_api()
    {
        var pod = Pod("trainer", c => c.Env =
        [
            new V1EnvVar { Name = "MODE", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "settings", Key = "MODE" } } },
            new V1EnvVar { Name = "TOKEN", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "credentials", Key = "token" } } },
            new V1EnvVar { Name = "POD", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
            new V1EnvVar { Name = "NS", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.namespace" } } },
            new V1EnvVar { Name = "UID", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.uid" } } },
            new V1EnvVar { Name = "APP", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.labels['app']" } } },
            new V1EnvVar { Name = "IP", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.podIP" } } },
            new V1EnvVar { Name = "HOST_IP", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.hostIP" } } },
            new V1EnvVar { Name = "CPUS", ValueFrom = new V1EnvVarSource { ResourceFieldRef = new V1ResourceFieldSelector { Resource = "limits.cpu" } } },
        ]);

        var variables = Resolve(pod).Variables;

        Assert.Equal("fast", variables["MODE"]);
        Assert.Equal("s3cr3t", variables["TOKEN"]);
        Assert.Equal("trainer", variables["POD"]);
        Assert.Equal("team", variables["NS"]);
        Assert.Equal("uid-trainer", variables["UID"]);
        Assert.Equal("demo", variables["APP"]);
        Assert.Equal("127.10.0.7", variables["IP"]);
        Assert.Equal("127.0.0.1", variables["HOST_IP"]);
        Assert.Equal("4", variables["CPUS"]);
    }

    [Fact]
    public void Values_expand_variables_defined_before_them_and_the_node_provided_ones()
    {
        var pod = Pod("p", c => c.Env =
        [
            new V1EnvVar { Name = "HOST", Value = "localhost" },
            new V1EnvVar { Name = "URL", Value = "http://$(HOST):$(PORT)/$(LATER)" },
            new V1EnvVar { Name = "LATER", Value = "x" },
        ]);

        Assert.Equal("http://localhost:8080/$(LATER)", Resolve(pod).Variables["URL"]);
    }

    [Fact]
    public void A_missing_config_map_is_a_CreateContainerConfigError_unless_optional()
    {
        V1Pod Referencing(bool optional) => Pod("p", c => c.Env =
        [
            new V1EnvVar { Name = "MODE", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "settings", Key = "MODE", Optional = optional } } },
        ]);

        Assert.Equal("configmap \"settings\" not found", Resolve(Referencing(false), withConfigMap: false).Error);
        var optional = Resolve(Referencing(true), withConfigMap: false);
        Assert.Null(optional.Error);
        Assert.DoesNotContain("MODE", optional.Variables.Keys);
    }

    [Fact]
    public void A_missing_key_names_the_namespace_and_object()
    {
        var pod = Pod("p", c => c.Env =
        [
            new V1EnvVar { Name = "X", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "credentials", Key = "password" } } },
        ]);

        Assert.Equal("couldn't find key password in Secret team/credentials", Resolve(pod).Error);
    }

    [Fact]
    public void The_referenced_config_maps_and_secrets_are_listed_for_fetching()
    {
        var container = new V1Container
        {
            Name = "c",
            EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "all-secrets" } }],
            Env = [new V1EnvVar { Name = "A", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "cm", Key = "k" } } }],
        };

        var (configMaps, secrets) = ContainerEnvironment.CalculateReferences(container);

        Assert.Equal(["cm"], configMaps);
        Assert.Equal(["all-secrets"], secrets);
    }
}
