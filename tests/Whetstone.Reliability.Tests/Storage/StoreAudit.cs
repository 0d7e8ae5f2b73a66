using Whetstone.Artifacts;

namespace Whetstone.Reliability.Tests.Storage;

/// <summary>
/// What a <c>file://</c> store holds after a fault: every visible key read whole through the store (which checks it
/// against its digest), and the bookkeeping an interrupted write can leave on disk.
/// </summary>
/// <param name="VisibleKeys">Keys the store lists, checkpoint files aside.</param>
/// <param name="FailingKeys">Visible keys whose content fails its digest or size check, with the error.</param>
/// <param name="Temporaries">Files of writes in progress (<c>.whetstone-tmp-</c>).</param>
/// <param name="OrphanSidecars">Sidecars whose artifact is not there.</param>
/// <param name="StagingCheckpoints">Checkpoint folders never committed (<c>.staging-</c>).</param>
/// <param name="CompleteCheckpoints">Committed checkpoint folders.</param>
/// <param name="Published">Whether the job's outputs were published (<c>&lt;uid&gt;/manifest.json</c> exists).</param>
public sealed record StoreAudit(
    IReadOnlyList<string> VisibleKeys,
    IReadOnlyList<string> FailingKeys,
    IReadOnlyList<string> Temporaries,
    IReadOnlyList<string> OrphanSidecars,
    IReadOnlyList<string> StagingCheckpoints,
    int CompleteCheckpoints,
    bool Published)
{
    /// <summary>Leftovers of interrupted writes: temporaries, orphan sidecars and staging folders.</summary>
    public int Leftovers => Temporaries.Count + OrphanSidecars.Count + StagingCheckpoints.Count;

    /// <summary>Audits the store at <paramref name="directory"/> for the job <paramref name="jobName"/>.</summary>
    public static async Task<StoreAudit> OfAsync(string directory, string jobName)
    {
        using var store = ArtifactStoreFactory.Create(new Uri(directory + "/").AbsoluteUri, new ArtifactStoreOptions());
        var visible = new List<string>();
        var failing = new List<string>();
        await foreach (var item in store.ListAsync(""))
        {
            if (IsCheckpointFile(item.Key))
            {
                continue;
            }

            visible.Add(item.Key);
            try
            {
                var content = await store.OpenReadAsync(item.Key);
                await using (content)
                {
                    await content.CopyToAsync(Stream.Null);
                }
            }
            catch (Exception error) when (error is ArtifactStoreException or IOException)
            {
                failing.Add($"{item.Key}: {error.Message}");
            }
        }

        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(directory, p).Replace(Path.DirectorySeparatorChar, '/'))
            .ToHashSet(StringComparer.Ordinal);
        var temporaries = files.Where(f => f.Contains(ArtifactKeys.TemporaryMarker, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var orphans = files
            .Where(f => f.EndsWith(ArtifactKeys.SidecarSuffix, StringComparison.Ordinal) && !files.Contains(f[..^ArtifactKeys.SidecarSuffix.Length]))
            .Order(StringComparer.Ordinal)
            .ToList();
        var folders = Directory.EnumerateDirectories(directory, "*", SearchOption.AllDirectories).ToList();
        var staging = folders.Where(d => Path.GetFileName(d).StartsWith(".staging-", StringComparison.Ordinal))
            .Select(d => Path.GetRelativePath(directory, d))
            .ToList();
        var complete = folders.Count(d => Path.GetFileName(d).StartsWith("checkpoint-", StringComparison.Ordinal) && File.Exists(Path.Combine(d, "state.json")));
        return new StoreAudit(visible, failing, temporaries, orphans, staging, complete, files.Contains($"{jobName}/manifest.json"));
    }

    // Checkpoints are folders committed by a rename (audited as complete or staging), not store artifacts, and the
    // attempt lock is a plain file beside them: neither has a sidecar to check.
    private static bool IsCheckpointFile(string key) =>
        key.Contains("/checkpoints/", StringComparison.Ordinal) || key.EndsWith("/.whetstone-attempt.lock", StringComparison.Ordinal);

    /// <summary>A one-line summary for the reliability table.</summary>
    public override string ToString() =>
        $"{VisibleKeys.Count} visible key(s), {FailingKeys.Count} failing their digest, {Temporaries.Count} temporary file(s), " +
        $"{OrphanSidecars.Count} orphan sidecar(s), {StagingCheckpoints.Count} unfinished checkpoint folder(s), " +
        $"{CompleteCheckpoints} complete checkpoint(s), outputs published: {Published}";
}
