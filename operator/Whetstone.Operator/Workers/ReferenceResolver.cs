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
            var (missing, phase, why) = await ReadPhaseAsync(@namespace, reference, cancellationToken).ConfigureAwait(false);
            var state = Judge(reference, missing, phase, why);
            if (!state.Ready)
            {
                return state;
            }
        }

        return ReferenceState.Resolved;
    }

    /// <summary>The referenced job's phase and, when it failed, its Failed condition's reason and message.</summary>
    private async Task<(bool Missing, string? Phase, string? Why)> ReadPhaseAsync(string @namespace, JobReference reference, CancellationToken cancellationToken)
    {
        try
        {
            var body = await client.CustomObjects.GetNamespacedCustomObjectAsync(
                reference.Group, reference.Version, @namespace, reference.Plural, reference.Name, cancellationToken).ConfigureAwait(false);
            var json = body is JsonElement element ? element : JsonSerializer.SerializeToElement(body);
            if (!json.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object)
            {
                return (false, null, null);
            }

            var phase = String(status, "phase");
            return (false, phase, phase == JobPhases.Failed ? FailureOf(status) : null);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return (true, null, null);
        }
    }

    private static string? FailureOf(JsonElement status)
    {
        if (status.TryGetProperty("conditions", out var conditions) && conditions.ValueKind == JsonValueKind.Array)
        {
            foreach (var condition in conditions.EnumerateArray())
            {
                if (String(condition, "type") == ConditionTypes.Failed && String(condition, "reason") is { } reason)
                {
                    return String(condition, "message") is { Length: > 0 } message ? $"{reason}: {message}" : reason;
                }
            }
        }

        return String(status, "message");
    }

    private static string? String(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static ReferenceState Judge(JobReference reference, bool missing, string? phase, string? why) =>
        missing
            ? new ReferenceState(false, false, ConditionReasons.ReferenceNotFound, $"{reference.Field}: {reference.Kind} {reference.Name} does not exist (yet)")
            : phase switch
            {
                JobPhases.Succeeded => ReferenceState.Resolved,
                JobPhases.Failed => new ReferenceState(false, true, ConditionReasons.ReferenceFailed,
                    $"{reference.Field}: {reference.Kind} {reference.Name} failed" + (why is null ? string.Empty : $" ({why})")),
                _ => new ReferenceState(false, false, reference.WaitingReason, $"{reference.Field}: waiting for {reference.Kind} {reference.Name} to succeed (phase {phase ?? "Pending"})"),
            };
}
