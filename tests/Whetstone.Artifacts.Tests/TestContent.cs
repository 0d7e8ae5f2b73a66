using System.Security.Cryptography;

namespace Whetstone.Artifacts.Tests;

/// <summary>Deterministic test content and a non-seekable stream that generates it without holding it in memory.</summary>
public static class TestContent
{
    public static byte[] Bytes(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Digest of what <see cref="GeneratedStream"/> yields for the same arguments, computed independently.</summary>
    public static string DigestOfGenerated(long length, int seed)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var stream = new GeneratedStream(length, seed);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            hash.AppendData(buffer.AsSpan(0, read));
        }

        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

/// <summary>
/// A non-seekable stream of <paramref name="length"/> pseudo-random bytes; optionally throws or waits once
/// <paramref name="failAfter"/> bytes have been read, to play a source that dies or hangs mid-upload (until
/// <paramref name="hangAt"/> completes or <paramref name="abandoned"/> is cancelled).
/// </summary>
public sealed class GeneratedStream(long length, int seed, long failAfter = long.MaxValue, TaskCompletionSource? hangAt = null,
    CancellationToken abandoned = default) : Stream
{
    private readonly Random _random = new(seed);
    private long _position;

    public Task ReachedFailurePoint => _reached.Task;

    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position >= failAfter)
        {
            _reached.TrySetResult();
            if (hangAt is null)
            {
                throw new IOException($"source failed after {_position} bytes");
            }

            hangAt.Task.Wait(abandoned);
            throw new IOException($"source abandoned after {_position} bytes");
        }

        var count = (int)Math.Min(Math.Min(buffer.Length, length - _position), failAfter - _position);
        _random.NextBytes(buffer[..count]);
        _position += count;
        return count;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= failAfter && hangAt is not null)
        {
            _reached.TrySetResult();
            // Some readers (the S3 SDK) pass no token; the test's own token must still end the hang.
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, abandoned);
            await hangAt.Task.WaitAsync(either.Token);
        }

        return Read(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
