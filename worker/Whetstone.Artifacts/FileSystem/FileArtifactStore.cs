using System.Runtime.CompilerServices;
using Whetstone.Artifacts.Integrity;

namespace Whetstone.Artifacts.FileSystem;

/// <summary>
/// The artifact store on a local directory (<c>file:///path/</c>), used by the embedded mode. Content is written to a
/// temporary file in the destination's directory, flushed to disk, then moved into place with a move that refuses to
/// replace an existing file (a hard link, so it is atomic), which is what makes a put never half-visible and never an
/// overwrite.
/// </summary>
public sealed class FileArtifactStore(string rootDirectory, ArtifactStoreOptions options)
    : ArtifactStore(ToRootUri(rootDirectory), options)
{
    private const int CopyBufferBytes = 1024 * 1024;
    private const long WritebackIntervalBytes = 8L * 1024 * 1024;
    private const int ReadAheadChunks = 4;
    private readonly string _root = Path.GetFullPath(rootDirectory);

    private static Uri ToRootUri(string directory)
    {
        var full = Path.GetFullPath(directory);
        return new Uri("file://" + (full.EndsWith('/') ? full : full + "/"));
    }

    private string PathOf(string key) => Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar));

    /// <inheritdoc />
    public override async Task<Uri> GetReadUrlAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        ArtifactKeys.Validate(key);
        return await StatObjectAsync(key, cancellationToken).ConfigureAwait(false) is null
            ? throw new ArtifactNotFoundException(GetUri(key))
            : GetUri(key);
    }

    /// <inheritdoc />
    protected override async Task<bool> PutSmallObjectAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        var temporary = PathOf(ArtifactKeys.TemporaryFor(key));
        try
        {
            await WriteDurablyAsync(temporary, s => s.WriteAsync(content, cancellationToken).AsTask(), cancellationToken).ConfigureAwait(false);
            return MoveWithoutReplacing(temporary, PathOf(key));
        }
        catch (Exception error) when (StorageErrors.IsStorageFull(error))
        {
            throw new StorageFullException(GetUri(key).AbsoluteUri, content.Length, SizeOf(temporary), error);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Reading (which hashes) runs ahead on its own task (<see cref="ReadAheadStream"/>, a few pooled buffers), and the writer
    /// starts the disk writing back every <see cref="WritebackIntervalBytes"/> without waiting for it
    /// (<see cref="WritebackHint"/>), so hashing, copying and the disk all overlap and the one fsync at the end waits
    /// only for the tail: the put costs about max(hash, copy + disk write) rather than their sum.
    /// </remarks>
    protected override async Task WriteTemporaryAsync(string temporaryKey, Stream content, long? length, string contentType, CancellationToken cancellationToken)
    {
        var path = PathOf(temporaryKey);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var ahead = new ReadAheadStream(content, CopyBufferBytes, ReadAheadChunks);
        long written = 0;
        try
        {
            await using (ahead.ConfigureAwait(false))
            {
                var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
                await using (file.ConfigureAwait(false))
                {
                    long hinted = 0;
                    while (await ahead.ReadChunkAsync(cancellationToken).ConfigureAwait(false) is { IsEmpty: false } chunk)
                    {
                        file.Write(chunk.Span);
                        written += chunk.Length;
                        if (written - hinted >= WritebackIntervalBytes)
                        {
                            WritebackHint.Start(file.SafeFileHandle, hinted, written - hinted);
                            hinted = written;
                        }
                    }

                    file.Flush(flushToDisk: true);
                }
            }
        }
        catch (Exception error) when (StorageErrors.IsStorageFull(error))
        {
            // The temporary is deleted by the caller; the final key never appears.
            var key = temporaryKey[..temporaryKey.IndexOf(ArtifactKeys.TemporaryMarker, StringComparison.Ordinal)];
            throw new StorageFullException(GetUri(key).AbsoluteUri, length, Math.Max(written, SizeOf(path)), error);
        }
    }

    /// <inheritdoc />
    protected override Task<bool> CommitAsync(string temporaryKey, string key, long sizeBytes, CancellationToken cancellationToken) =>
        Task.FromResult(MoveWithoutReplacing(PathOf(temporaryKey), PathOf(key)));

    /// <inheritdoc />
    protected override async Task WriteSidecarBytesAsync(string sidecarKey, byte[] content, CancellationToken cancellationToken)
    {
        var temporary = PathOf(ArtifactKeys.TemporaryFor(sidecarKey[..^ArtifactKeys.SidecarSuffix.Length]));
        try
        {
            await WriteDurablyAsync(temporary, s => s.WriteAsync(content, cancellationToken).AsTask(), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, PathOf(sidecarKey), overwrite: true);
        }
        catch (Exception error) when (StorageErrors.IsStorageFull(error))
        {
            throw new StorageFullException(GetUri(sidecarKey).AbsoluteUri, content.Length, SizeOf(temporary), error);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <inheritdoc />
    protected override async Task<byte[]?> ReadSmallObjectAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(PathOf(key), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    protected override Task<Stream?> OpenObjectAsync(string key, long offset, long? length, CancellationToken cancellationToken)
    {
        FileStream file;
        try
        {
            file = new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, CopyBufferBytes);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }

        file.Seek(offset, SeekOrigin.Begin);
        return Task.FromResult<Stream?>(length is { } bounded ? new BoundedReadStream(file, bounded) : file);
    }

    /// <inheritdoc />
    protected override Task<StoredObject?> StatObjectAsync(string key, CancellationToken cancellationToken)
    {
        var info = new FileInfo(PathOf(key));
        return Task.FromResult(info.Exists ? new StoredObject(key, info.Length, info.LastWriteTimeUtc) : null);
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<StoredObject> ListObjectsAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var slash = prefix.LastIndexOf('/');
        var directory = slash < 0 ? _root : PathOf(prefix[..slash]);
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        var keys = Directory.EnumerateFiles(directory, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(path => Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(key => key.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await StatObjectAsync(key, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                yield return entry;
            }
        }
    }

    /// <inheritdoc />
    protected override Task DeleteObjectAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            File.Delete(PathOf(key));
        }
        catch (DirectoryNotFoundException)
        {
        }

        return Task.CompletedTask;
    }

    private static long SizeOf(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? info.Length : 0;
    }

    private static async Task WriteDurablyAsync(string path, Func<FileStream, Task> write, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferBytes, FileOptions.None);
        await using (file.ConfigureAwait(false))
        {
            await write(file).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            file.Flush(flushToDisk: true);
        }
    }

    // Publishes source at destination unless destination exists, atomically: on Unix by link(2), which fails with
    // EEXIST when the name is taken, then unlink of the source. File.Move without overwrite is not enough: where .NET
    // cannot link it checks for the destination and then renames, and two racing writers were both told they won
    // (the reliability suite's racing-writers test caught it in 1 of 6 streamed rounds).
    private static bool MoveWithoutReplacing(string source, string destination)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        if (!OperatingSystem.IsWindows())
        {
            if (PosixLink.Link(source, destination) == 0)
            {
                File.Delete(source);
                return true;
            }

            var error = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (error == PosixLink.AlreadyExists)
            {
                return false;
            }

            throw new IOException($"cannot publish {destination}: link failed with errno {error}");
        }

        try
        {
            File.Move(source, destination, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(destination))
        {
            return false;
        }
    }
}
