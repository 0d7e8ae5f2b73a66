using Whetstone.Artifacts;

namespace Whetstone.Worker.Jobs;

/// <summary>
/// Removes, at the start of an attempt, what interrupted writes of earlier attempts of the same job left under the
/// job's own output prefix <c>&lt;uid&gt;/</c>: temporaries (<c>&lt;key&gt;.whetstone-tmp-&lt;id&gt;</c>, kept beside
/// their key so that a cleanup of a prefix finds them), sidecars whose artifact never appeared, and incomplete
/// multipart uploads. A full disk is often full of exactly these, so the attempt after a <c>StorageFull</c> starts
/// with the room they took.
/// </summary>
/// <remarks>
/// Only attempts of this job write under <c>&lt;uid&gt;/</c>, and the caller holds the job's attempt lock, so no
/// earlier attempt on this machine still runs. How old a leftover must be (the cleanup's <c>olderThan</c>) follows
/// from what that lock covers: for a <c>file://</c> output the lock lives in <c>&lt;output&gt;/&lt;uid&gt;</c> itself,
/// so every temporary there belongs to an attempt that has ended and any age is safe (<see cref="LocalMinimumAge"/>).
/// For S3 the lock is on this machine's work folder only: a pod on another node that the API already forgot may still
/// be uploading, so only leftovers older than <see cref="RemoteMinimumAge"/> go (longer than an upload of the largest
/// model takes; a younger temporary or multipart upload may be live).
/// </remarks>
internal static class JobLeftovers
{
    /// <summary>Minimum age of a leftover under a <c>file://</c> output (the attempt lock excludes live writers).</summary>
    public static readonly TimeSpan LocalMinimumAge = TimeSpan.Zero;

    /// <summary>Minimum age of a leftover in a remote store, where a predecessor on another node may still write.</summary>
    public static readonly TimeSpan RemoteMinimumAge = TimeSpan.FromHours(6);

    /// <summary>Cleans <c>&lt;uid&gt;/</c> of <paramref name="output"/> and says what was removed.</summary>
    public static async Task RemoveAsync(IArtifactStore output, string outputUri, IWorkerJobContext context, Action<string> say, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(say);
        var prefix = ArtifactKeys.JobOutputPrefix("", context.JobUid);
        var olderThan = ArtifactUris.LocalPathOf(outputUri) is null ? RemoteMinimumAge : LocalMinimumAge;
        CleanupReport report;
        try
        {
            report = await output.CleanupAsync(prefix, olderThan, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is ArtifactStoreException or IOException)
        {
            // Leftovers cost room, never correctness (they are invisible): the attempt goes on and the next one tries again.
            say($"could not remove leftovers of interrupted writes under {output.GetUri(prefix)}: {error.Message}");
            return;
        }

        if (report.TemporaryObjectsRemoved + report.OrphanSidecarsRemoved + report.IncompleteUploadsAborted > 0)
        {
            say($"removed leftovers of interrupted writes under {output.GetUri(prefix)} (older than {olderThan}): " +
                $"{report.TemporaryObjectsRemoved} temporary object(s), {report.OrphanSidecarsRemoved} orphan sidecar(s), " +
                $"{report.IncompleteUploadsAborted} incomplete upload(s)");
        }

        foreach (var note in report.Notes)
        {
            say($"cleanup of {output.GetUri(prefix)}: {note}");
        }
    }
}
