using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using Whetstone.Api;

namespace Whetstone.Operator.Workers;

/// <summary>
/// Checks the jobs a spec refers to by name (given as <see cref="JobReference"/> data, whatever their kind): a missing
/// or unfinished one makes the job wait as Queued; a failed one fails it. Every kind of job has a <c>status.phase</c>.
/// </summary>
public sealed class ReferenceResolver(IKubernetes client)
{
    /// <summary>Resolves the references in order; the first that is not ready decides.</summary>
    public async Task<ReferenceState> ResolveAsync(string @namespace, IReadOnlyList<JobReference> references, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(references);
        foreach (var reference in references)
        {
            var (missing, phase) = await ReadPhaseAsync(@namespace, reference, cancellationToken).ConfigureAwait(false);
            var state = Judge(reference, missing, phase);
            if (!state.Ready)
            {
                return state;
            }
        }

        return ReferenceState.Resolved;
    }

    private async Task<(bool Missing, string? Phase)> ReadPhaseAsync(string @namespace, JobReference reference, CancellationToken cancellationToken)
    {
        try
        {
            var body = await client.CustomObjects.GetNamespacedCustomObjectAsync(
                reference.Group, reference.Version, @namespace, reference.Plural, reference.Name, cancellationToken).ConfigureAwait(false);
            var json = body is JsonElement element ? element : JsonSerializer.SerializeToElement(body);
            return (false, json.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object
                && status.TryGetProperty("phase", out var phase) && phase.ValueKind == JsonValueKind.String ? phase.GetString() : null);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return (true, null);
        }
    }

    private static ReferenceState Judge(JobReference reference, bool missing, string? phase) =>
        missing
            ? new ReferenceState(false, false, ConditionReasons.ReferenceNotFound, $"{reference.Field}: {reference.Kind} {reference.Name} does not exist (yet)")
            : phase switch
            {
                JobPhases.Succeeded => ReferenceState.Resolved,
                JobPhases.Failed => new ReferenceState(false, true, ConditionReasons.ReferenceFailed, $"{reference.Field}: {reference.Kind} {reference.Name} failed"),
                _ => new ReferenceState(false, false, ConditionReasons.ReferenceNotReady, $"{reference.Field}: waiting for {reference.Kind} {reference.Name} to succeed (phase {phase ?? "Pending"})"),
            };
}
