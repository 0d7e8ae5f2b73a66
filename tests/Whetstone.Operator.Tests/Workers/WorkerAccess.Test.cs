using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.Tests.Workers;

public sealed class WorkerAccessTest
{
    private static FineTuneJob Job(string name = "support-lora") => new()
    {
        ApiVersion = WhetstoneApi.GroupVersion,
        Kind = Kinds.FineTuneJob,
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "team-a", Uid = "uid-1" },
    };

    private static string Describe(V1PolicyRule rule) =>
        $"{string.Join(',', rule.Resources)}: {string.Join(',', rule.Verbs)} on {string.Join(',', rule.ResourceNames)}";

    [Fact]
    public void The_role_allows_reading_the_job_and_patching_only_its_status()
    {
        var access = WorkerAccess.Build(Job(), Plurals.FineTuneJobs, []);

        Assert.Equal("support-lora-finetunejob-worker", access.ServiceAccount.Metadata.Name);
        Assert.Collection(
            access.Role.Rules,
            read => Assert.Equal("finetunejobs: get on support-lora", Describe(read)),
            status => Assert.Equal("finetunejobs/status: get,patch on support-lora", Describe(status)));
        Assert.All(access.Role.Rules, rule => Assert.Equal([WhetstoneApi.Group], rule.ApiGroups));
        var subject = Assert.Single(access.RoleBinding.Subjects);
        Assert.Equal(("ServiceAccount", "support-lora-finetunejob-worker", "team-a"), (subject.Kind, subject.Name, subject.NamespaceProperty));
        Assert.Equal("support-lora-finetunejob-worker", access.RoleBinding.RoleRef.Name);
    }

    [Fact]
    public void A_referenced_job_is_readable_and_nothing_more()
    {
        var access = WorkerAccess.Build(Job(), Plurals.FineTuneJobs,
        [
            JobReference.To<FineTuneJob>("spec.baseModel.fineTuneJobRef", "base-tune"),
            JobReference.To<FineTuneJob>("spec.dataset.fineTuneJobRef", "base-tune"),
            JobReference.To<FineTuneJob>("spec.self", "support-lora"),
            JobReference.To<CompressionJob>("spec.baseModel.compressionJobRef", "small"),
        ]);

        Assert.Equal(4, access.Role.Rules.Count);
        Assert.Equal("compressionjobs: get on small", Describe(access.Role.Rules[2]));
        Assert.Equal("finetunejobs: get on base-tune", Describe(access.Role.Rules[3]));
    }

    [Fact]
    public void All_three_objects_are_owned_by_the_job_and_labelled_with_it()
    {
        var access = WorkerAccess.Build(Job(), Plurals.FineTuneJobs, []);

        foreach (var meta in new[] { access.ServiceAccount.Metadata, access.Role.Metadata, access.RoleBinding.Metadata })
        {
            var owner = Assert.Single(meta.OwnerReferences);
            Assert.Equal((Kinds.FineTuneJob, "support-lora", "uid-1", true), (owner.Kind, owner.Name, owner.Uid, owner.Controller));
            Assert.Equal("support-lora", meta.Labels[WhetstoneLabels.Job]);
            Assert.Equal("team-a", meta.NamespaceProperty);
        }
    }

    [Fact]
    public void A_long_job_name_is_shortened_to_a_valid_name()
    {
        var name = WorkerAccess.Name(Kinds.FineTuneJob, new string('a', 250));

        Assert.Equal(253, name.Length);
        Assert.EndsWith("-finetunejob-worker", name, StringComparison.Ordinal);
    }

    [Fact]
    public void Jobs_of_two_kinds_with_the_same_name_get_different_accounts()
    {
        var fineTune = WorkerAccess.Build(Job("support"), Plurals.FineTuneJobs, []);
        var compression = WorkerAccess.Build(
            new CompressionJob { Metadata = new V1ObjectMeta { Name = "support", NamespaceProperty = "team-a", Uid = "uid-2" } }, Plurals.CompressionJobs, []);

        Assert.NotEqual(fineTune.ServiceAccount.Metadata.Name, compression.ServiceAccount.Metadata.Name);
        Assert.Equal("support-compressionjob-worker", compression.ServiceAccount.Metadata.Name);
    }
}
