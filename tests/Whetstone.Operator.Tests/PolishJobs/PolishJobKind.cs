using Whetstone.Operator.Preflight;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.Tests.PolishJobs;

/// <summary>What the PolishJob kind contributes: its subcommand, its permanent reason, its one preflight check.</summary>
public sealed class PolishJobKind : IWorkerJobKind<PolishJob>
{
    public const int MaxGrit = 3000;

    public const string Blunt = "Blunt";

    public const string GritTooCoarse = "GritTooCoarse";

    public string Subcommand => "polish";

    public IReadOnlySet<string> PermanentFailureReasons { get; } = new HashSet<string>(StringComparer.Ordinal) { Blunt };

    public string SuccessMessage => "polished";

    public IReadOnlyList<JobReference> References(PolishJob job) => [];

    public IReadOnlyList<Func<CancellationToken, Task<PreflightVerdict>>> PreflightChecks(PolishJob job, ArtifactChecks checks) =>
    [
        _ => Task.FromResult(job.Spec.Grit <= MaxGrit
            ? PreflightVerdict.Pass($"grit {job.Spec.Grit}")
            : PreflightVerdict.Fail(GritTooCoarse, $"spec.grit: {job.Spec.Grit} is coarser than {MaxGrit}")),
    ];
}
