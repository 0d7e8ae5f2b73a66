using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Runtime.Clients;

namespace Whetstone.Operator.Workers;

/// <summary>
/// Checks the jobs a spec refers to by name (<c>fineTuneJobRef</c>, <c>compressionJobRef</c>): a missing or unfinished
/// one makes the job wait as Queued; a failed one fails it.
/// </summary>
public sealed class ReferenceResolver(IEntityClient<FineTuneJob> fineTuneJobs, IEntityClient<CompressionJob> compressionJobs)
{
    /// <summary>Resolves a <see cref="ModelSource"/>'s reference, if it has one.</summary>
    public async Task<ReferenceState> ResolveModelAsync(string @namespace, ModelSource? source, string field, CancellationToken cancellationToken)
    {
        if (source?.FineTuneJobRef is { } ftj)
        {
            var job = await fineTuneJobs.GetAsync(@namespace, ftj.Name, cancellationToken).ConfigureAwait(false);
            return Judge(field + ".fineTuneJobRef", Kinds.FineTuneJob, ftj.Name, job is null, job?.Status?.Phase);
        }

        if (source?.CompressionJobRef is { } cpj)
        {
            var job = await compressionJobs.GetAsync(@namespace, cpj.Name, cancellationToken).ConfigureAwait(false);
            return Judge(field + ".compressionJobRef", Kinds.CompressionJob, cpj.Name, job is null, job?.Status?.Phase);
        }

        return ReferenceState.Resolved;
    }

    private static ReferenceState Judge(string field, string kind, string name, bool missing, string? phase) =>
        missing
            ? new ReferenceState(false, false, ConditionReasons.ReferenceNotFound, $"{field}: {kind} {name} does not exist (yet)")
            : phase switch
            {
                JobPhases.Succeeded => ReferenceState.Resolved,
                JobPhases.Failed => new ReferenceState(false, true, ConditionReasons.ReferenceFailed, $"{field}: {kind} {name} failed"),
                _ => new ReferenceState(false, false, ConditionReasons.ReferenceNotReady, $"{field}: waiting for {kind} {name} to succeed (phase {phase ?? "Pending"})"),
            };
}
