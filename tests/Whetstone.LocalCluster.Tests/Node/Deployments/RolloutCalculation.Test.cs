using k8s.Models;
using Whetstone.LocalCluster.Node.Deployments;

namespace Whetstone.LocalCluster.Tests.Node.Deployments;

public sealed class RolloutCalculationTest
{
    private static readonly DateTime Now = new(2026, 12, 4, 12, 0, 0, DateTimeKind.Utc);

    private static V1Deployment Deployment(int replicas, string version = "1") => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "team", Uid = "uid-web", Generation = 3 },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" }, Annotations = new Dictionary<string, string> { ["v"] = version } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "busybox" }] },
            },
        },
    };

    private static V1Pod Pod(string name, V1Deployment template, bool ready)
    {
        var pod = DeploymentController.BuildPod(template);
        pod.Metadata.Name = name;
        pod.Metadata.CreationTimestamp = Now;
        pod.Status = new V1PodStatus
        {
            Phase = "Running",
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        };
        return pod;
    }

    [Fact]
    public void Scaling_up_creates_the_missing_pods_and_reports_them_unavailable()
    {
        var deployment = Deployment(3);

        var step = RolloutCalculation.Calculate(deployment, [Pod("a", deployment, ready: true)], Now);

        Assert.Equal(2, step.Create);
        Assert.Empty(step.Delete);
        Assert.Equal(3, step.Status.ObservedGeneration);
        Assert.Equal(1, step.Status.AvailableReplicas);
        Assert.Equal("False", step.Status.Conditions.Single(c => c.Type == "Available").Status);
    }

    [Fact]
    public void Scaling_down_deletes_unready_pods_first()
    {
        var deployment = Deployment(1);
        var pods = new[] { Pod("ready", deployment, ready: true), Pod("starting", deployment, ready: false) };

        var step = RolloutCalculation.Calculate(deployment, pods, Now);

        Assert.Equal(0, step.Create);
        Assert.Equal("starting", Assert.Single(step.Delete).Metadata.Name);
    }

    [Fact]
    public void A_template_change_surges_one_new_pod_and_removes_one_old_within_the_25_percent_defaults()
    {
        var old = Deployment(4, "1");
        var current = Deployment(4, "2");
        var pods = Enumerable.Range(0, 4).Select(i => Pod($"old-{i}", old, ready: true)).ToList();

        var step = RolloutCalculation.Calculate(current, pods, Now);

        Assert.Equal(1, step.Create);
        Assert.Single(step.Delete);
        Assert.StartsWith("old-", step.Delete[0].Metadata.Name, StringComparison.Ordinal);
        Assert.Equal(0, step.Status.UpdatedReplicas);
        Assert.Equal("ReplicaSetUpdated", step.Status.Conditions.Single(c => c.Type == "Progressing").Reason);
    }

    [Fact]
    public void A_finished_rollout_reports_complete_progress_and_availability()
    {
        var deployment = Deployment(2);
        var pods = new[] { Pod("a", deployment, ready: true), Pod("b", deployment, ready: true) };

        var step = RolloutCalculation.Calculate(deployment, pods, Now);

        Assert.Equal(0, step.Create);
        Assert.Empty(step.Delete);
        Assert.Equal("NewReplicaSetAvailable", step.Status.Conditions.Single(c => c.Type == "Progressing").Reason);
        Assert.Equal("True", step.Status.Conditions.Single(c => c.Type == "Available").Status);
        Assert.Equal(2, step.Status.UpdatedReplicas);
    }

    [Fact]
    public void The_template_hash_changes_with_the_template_only()
    {
        Assert.Equal(RolloutCalculation.CalculateTemplateHash(Deployment(1).Spec.Template), RolloutCalculation.CalculateTemplateHash(Deployment(5).Spec.Template));
        Assert.NotEqual(RolloutCalculation.CalculateTemplateHash(Deployment(1, "1").Spec.Template), RolloutCalculation.CalculateTemplateHash(Deployment(1, "2").Spec.Template));
    }
}
