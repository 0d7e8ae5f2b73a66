using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Api.Workers;
using Whetstone.Operator.Configuration;
using Whetstone.Operator.Tests.FineTuning;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.Tests.Workers;

public sealed class WorkerPodBuilderTest
{
    private static V1Pod Build(FineTuneJob job, WorkerOptions? options = null) =>
        WorkerPodBuilder.Build(new WorkerPodRequest(job, "finetune", 3, job.Spec.Resources, job.Spec.QueueName, 120), options ?? FineTuneJobs.Options);

    [Fact]
    public void The_pod_is_owned_by_the_job_labelled_and_finds_its_job_through_env()
    {
        var pod = Build(FineTuneJobs.New());
        Assert.Equal("support-lora-worker-3", pod.Metadata.Name);
        Assert.Equal("team-a", pod.Metadata.NamespaceProperty);
        var owner = Assert.Single(pod.Metadata.OwnerReferences);
        Assert.Equal(("FineTuneJob", "support-lora", "uid-1234", true), (owner.Kind, owner.Name, owner.Uid, owner.Controller!.Value));
        Assert.Equal("support-lora", pod.Metadata.Labels[WhetstoneLabels.Job]);
        Assert.Equal("gpu-queue", pod.Metadata.Labels[WhetstoneLabels.KueueQueueName]);
        Assert.Equal("whetstone-operator", pod.Metadata.Labels[WhetstoneLabels.ManagedBy]);
        var env = pod.Spec.Containers[0].Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("support-lora", env[WorkerEnvironmentVariables.JobName]);
        Assert.Equal("3", env[WorkerEnvironmentVariables.Attempt]);
        Assert.Equal("Never", pod.Spec.RestartPolicy);
        Assert.Equal(120, pod.Spec.ActiveDeadlineSeconds);
        Assert.Equal(["finetune", "--from-cluster"], pod.Spec.Containers[0].Args);
    }

    [Fact]
    public void Gpu_requests_become_an_extended_resource_and_the_product_a_node_selector()
    {
        var resources = new WorkerResources
        {
            Gpu = new GpuResources { Count = 2, Product = "NVIDIA-H100-80GB-HBM3" },
            Cpu = new ResourceQuantity("4"),
            Memory = new ResourceQuantity("32Gi"),
            NodeSelector = new Dictionary<string, string> { ["pool"] = "training" },
            Tolerations = [new V1Toleration { Key = "nvidia.com/gpu", OperatorProperty = "Exists", Effect = "NoSchedule" }],
            PriorityClassName = "batch-high",
        };
        var pod = Build(FineTuneJobs.New(resources: resources));
        var container = pod.Spec.Containers[0];
        Assert.Equal("2", container.Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal("2", container.Resources.Requests["nvidia.com/gpu"].ToString());
        Assert.Equal("32Gi", container.Resources.Limits["memory"].ToString());
        Assert.Equal("NVIDIA-H100-80GB-HBM3", pod.Spec.NodeSelector["nvidia.com/gpu.product"]);
        Assert.Equal("training", pod.Spec.NodeSelector["pool"]);
        Assert.Equal("nvidia.com/gpu", Assert.Single(pod.Spec.Tolerations).Key);
        Assert.Equal("batch-high", pod.Spec.PriorityClassName);
    }

    [Fact]
    public void A_job_may_name_its_own_gpu_resource_and_options_add_environment()
    {
        var resources = new WorkerResources { Gpu = new GpuResources { Count = 1, ResourceName = "amd.com/gpu" } };
        var options = FineTuneJobs.Options with { Environment = new Dictionary<string, string> { ["KUBECONFIG"] = "/var/lib/whetstone/kubeconfig" } };
        var pod = Build(FineTuneJobs.New(resources: resources), options);
        Assert.True(pod.Spec.Containers[0].Resources.Limits.ContainsKey("amd.com/gpu"));
        Assert.Contains(pod.Spec.Containers[0].Env, e => e.Name == "KUBECONFIG" && e.Value == "/var/lib/whetstone/kubeconfig");
    }

    [Fact]
    public void Long_job_names_are_shortened_to_a_valid_pod_name()
    {
        var name = WorkerPodBuilder.PodName(new string('a', 70), 12);
        Assert.True(name.Length <= 63);
        Assert.EndsWith("-worker-12", name);
    }

    [Fact]
    public void Long_job_names_give_valid_distinct_label_values_and_short_ones_are_kept()
    {
        // A job name may have 253 characters, a label value 63; the API server refuses a pod with a longer one.
        var first = WorkerPodBuilder.SelectorLabels("FineTuneJob", new string('a', 100) + "-first")[WhetstoneLabels.Job];
        var second = WorkerPodBuilder.SelectorLabels("FineTuneJob", new string('a', 100) + "-second")[WhetstoneLabels.Job];
        var labelValue = new System.Text.RegularExpressions.Regex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$");

        Assert.All(new[] { first, second }, v => Assert.True(v.Length <= 63 && labelValue.IsMatch(v), v));
        Assert.NotEqual(first, second);
        Assert.StartsWith(new string('a', 52), first, StringComparison.Ordinal);
        Assert.Equal("support-lora", WorkerPodBuilder.SelectorLabels("FineTuneJob", "support-lora")[WhetstoneLabels.Job]);
        Assert.Equal(new string('b', 63), WhetstoneLabels.ValueFor(new string('b', 63)));
    }

    [Fact]
    public void The_artifact_store_secret_reaches_the_worker_under_the_names_it_reads()
    {
        var options = FineTuneJobs.Options with { ArtifactStoreSecretName = "minio-creds" };
        var env = Build(FineTuneJobs.New(), options).Spec.Containers[0].Env;
        (string, string)[] expected =
        [
            Whetstone.Artifacts.ArtifactStoreOptions.EndpointKey,
            Whetstone.Artifacts.ArtifactStoreOptions.AccessKeyKey,
            Whetstone.Artifacts.ArtifactStoreOptions.SecretKeyKey,
            Whetstone.Artifacts.ArtifactStoreOptions.RegionKey,
            Whetstone.Artifacts.ArtifactStoreOptions.TlsKey,
        ];
        foreach (var (environment, secretKey) in expected)
        {
            var variable = Assert.Single(env, e => e.Name == environment);
            Assert.Equal(("minio-creds", secretKey), (variable.ValueFrom.SecretKeyRef.Name, variable.ValueFrom.SecretKeyRef.Key));
        }
    }
}
