using System.Text;
using Microsoft.Extensions.Configuration;
using Whetstone.Operator.Configuration;
using Whetstone.Operator.Tests.FineTuning;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.Tests.Workers;

/// <summary>The restricted securityContext, scratch volume and ephemeral-storage request the chart configures for worker pods.</summary>
public sealed class WorkerPodBuilderHardeningTest
{
    // The shape the chart's ConfigMap renders (appsettings.Production.json): camelCase, as Kubernetes writes these objects.
    private const string ChartSettings = """
        {"Whetstone": {"Workers": {
          "podSecurityContext": {"runAsNonRoot": true, "runAsUser": 65532, "fsGroup": 65532, "seccompProfile": {"type": "RuntimeDefault"}},
          "securityContext": {"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "capabilities": {"drop": ["ALL"]}},
          "scratchMountPath": "/tmp",
          "scratchSizeLimit": "20Gi",
          "ephemeralStorageRequest": "10Gi"
        }}}
        """;

    private static WorkerOptions Bind(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build()
            .GetSection(WorkerOptions.Section).Get<WorkerOptions>()!;

    [Fact]
    public void Settings_from_the_chart_give_workers_a_restricted_security_context_a_scratch_volume_and_an_ephemeral_storage_request()
    {
        var pod = WorkerPodBuilder.Build(new WorkerPodRequest(FineTuneJobs.New(), "finetune", 1, null, null, null), Bind(ChartSettings));

        Assert.True(pod.Spec.SecurityContext.RunAsNonRoot);
        Assert.Equal(65532, pod.Spec.SecurityContext.RunAsUser);
        Assert.Equal("RuntimeDefault", pod.Spec.SecurityContext.SeccompProfile.Type);
        var container = Assert.Single(pod.Spec.Containers);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        var volume = Assert.Single(pod.Spec.Volumes);
        Assert.Equal("20Gi", volume.EmptyDir.SizeLimit.ToString());
        var mount = Assert.Single(container.VolumeMounts);
        Assert.Equal((volume.Name, "/tmp"), (mount.Name, mount.MountPath));
        Assert.Equal("10Gi", container.Resources.Requests["ephemeral-storage"].ToString());
        Assert.Null(container.Resources.Limits);
    }

    [Fact]
    public void The_ephemeral_storage_request_joins_the_jobs_own_requests_and_leaves_the_limits_alone()
    {
        var job = FineTuneJobs.New(resources: new Api.V1Alpha1.WorkerResources { Memory = new k8s.Models.ResourceQuantity("8Gi") });
        var pod = WorkerPodBuilder.Build(new WorkerPodRequest(job, "finetune", 1, job.Spec.Resources, null, null), FineTuneJobs.Options with { EphemeralStorageRequest = "1Gi" });

        var resources = pod.Spec.Containers[0].Resources;
        Assert.Equal("8Gi", resources.Requests["memory"].ToString());
        Assert.Equal("1Gi", resources.Requests["ephemeral-storage"].ToString());
        Assert.Equal(["memory"], resources.Limits.Keys);
    }

    [Fact]
    public void A_model_cache_host_path_mounts_the_nodes_directory_and_tells_the_worker_where_it_is()
    {
        var options = Bind("""{"Whetstone": {"Workers": {"scratchMountPath": "/tmp", "modelCacheHostPath": "/srv/whetstone-models"}}}""");

        var pod = WorkerPodBuilder.Build(new WorkerPodRequest(FineTuneJobs.New(), "finetune", 1, null, null, null), options);

        var volume = Assert.Single(pod.Spec.Volumes, v => v.HostPath is not null);
        Assert.Equal(("/srv/whetstone-models", "DirectoryOrCreate"), (volume.HostPath.Path, volume.HostPath.Type));
        var container = pod.Spec.Containers[0];
        var mount = Assert.Single(container.VolumeMounts, m => m.Name == volume.Name);
        Assert.Equal(["/tmp", WorkerPodBuilder.ModelCacheMountPath], container.VolumeMounts.Select(m => m.MountPath));
        Assert.Equal(mount.MountPath, Assert.Single(container.Env, e => e.Name == "WHETSTONE_MODEL_CACHE").Value);
    }

    [Theory]
    [InlineData("100Gi", "107374182400")]
    [InlineData("500M", "500000000")]
    public void A_model_cache_bound_reaches_the_worker_in_bytes(string maxSize, string bytes)
    {
        var options = Bind("""{"Whetstone": {"Workers": {"modelCacheMaxSize": "SIZE"}}}""".Replace("SIZE", maxSize, StringComparison.Ordinal));

        var pod = WorkerPodBuilder.Build(new WorkerPodRequest(FineTuneJobs.New(), "finetune", 1, null, null, null), options);

        Assert.Equal(bytes, Assert.Single(pod.Spec.Containers[0].Env, e => e.Name == "WHETSTONE_MODEL_CACHE_MAX_BYTES").Value);
    }

    [Fact]
    public void Without_those_settings_the_pod_has_no_security_context_and_no_volumes()
    {
        var pod = WorkerPodBuilder.Build(new WorkerPodRequest(FineTuneJobs.New(), "finetune", 1, null, null, null), FineTuneJobs.Options);

        Assert.Null(pod.Spec.SecurityContext);
        Assert.Null(pod.Spec.Volumes);
        Assert.Null(pod.Spec.Containers[0].VolumeMounts);
        Assert.DoesNotContain(pod.Spec.Containers[0].Env, e => e.Name == "WHETSTONE_MODEL_CACHE");
    }
}
