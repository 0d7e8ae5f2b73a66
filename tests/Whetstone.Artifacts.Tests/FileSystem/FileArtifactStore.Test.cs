using System.Diagnostics;

namespace Whetstone.Artifacts.Tests.FileSystem;

public sealed class FileArtifactStoreTest : ArtifactStoreContract, IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("whetstone-files-");

    protected override IArtifactStore NewStore() =>
        ArtifactStoreFactory.Create(new Uri(Path.Combine(_root.FullName, Guid.NewGuid().ToString("N")) + "/"));

    protected override string StoredBytesFile(IArtifactStore store, string key) => store.GetUri(key).LocalPath;

    protected override async Task WriteRawAsync(IArtifactStore store, string key, byte[] content)
    {
        var path = store.GetUri(key).LocalPath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, content);
    }

    protected override Task<IReadOnlyList<string>> ListRawAsync(IArtifactStore store)
    {
        var rootPath = store.Root.LocalPath;
        IReadOnlyList<string> keys = Directory.Exists(rootPath)
            ? Directory.EnumerateFiles(rootPath, "*", SearchOption.AllDirectories)
                .Select(p => Path.GetRelativePath(rootPath, p).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
        return Task.FromResult(keys);
    }

    protected override Task<byte[]> FetchAsync(Uri readUrl)
    {
        Assert.Equal("file", readUrl.Scheme);
        return File.ReadAllBytesAsync(readUrl.LocalPath);
    }

    [Fact]
    public async Task A_write_abandoned_mid_stream_is_invisible_and_cleanup_removes_its_partial_file()
    {
        using var store = NewStore();
        var hang = new TaskCompletionSource();
        using var cancel = new CancellationTokenSource();
        var source = new GeneratedStream(64L * 1024 * 1024, seed: 4, failAfter: 9L * 1024 * 1024, hangAt: hang, abandoned: cancel.Token);
        var abandoned = store.PutAsync("job/partial.bin", source, cancellationToken: cancel.Token);
        await source.ReachedFailurePoint.WaitAsync(TimeSpan.FromMinutes(1));

        var raw = await ListRawAsync(store);
        var leftover = Assert.Single(raw);
        Assert.Contains(ArtifactKeys.TemporaryMarker, leftover, StringComparison.Ordinal);
        Assert.False(await store.ExistsAsync("job/partial.bin"));
        Assert.Empty(await KeysAsync(store, ""));

        var report = await store.CleanupAsync("job/", TimeSpan.Zero);

        Assert.Equal(1, report.TemporaryObjectsRemoved);
        Assert.Empty(await ListRawAsync(store));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => abandoned);
        Assert.False(await store.ExistsAsync("job/partial.bin"));
    }

    [Fact]
    public async Task A_writer_process_killed_mid_upload_leaves_nothing_visible_and_cleanup_removes_its_leftover()
    {
        using var store = NewStore();
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            ArgumentList = { "exec", typeof(ChildWriterProgram).Assembly.Location, "put-and-hang", store.Root.AbsoluteUri, "job/killed.bin" },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var child = Process.Start(start)!;
        try
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (await child.StandardOutput.ReadLineAsync(wait.Token) is { } line && line != ChildWriterProgram.HalfwayLine)
            {
            }
        }
        finally
        {
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }

        Assert.False(await store.ExistsAsync("job/killed.bin"));
        Assert.Empty(await KeysAsync(store, ""));
        var leftover = Assert.Single(await ListRawAsync(store));
        Assert.StartsWith("job/killed.bin" + ArtifactKeys.TemporaryMarker, leftover, StringComparison.Ordinal);

        var report = await store.CleanupAsync("job/", TimeSpan.Zero);

        Assert.Equal(1, report.TemporaryObjectsRemoved);
        Assert.Empty(await ListRawAsync(store));
    }

    public void Dispose() => _root.Delete(recursive: true);
}
