using System.Security.Cryptography;

namespace Whetstone.Artifacts.Integrity;

/// <summary>
/// Hands out a stored artifact's bytes and, when the reader reaches the end, checks size and digest against the
/// sidecar. A mismatch or a short stream throws <see cref="ArtifactIntegrityException"/> from that final read, so a
/// consumer that reads to the end can never silently use corrupted or truncated bytes.
/// </summary>
internal sealed class VerifyingReadStream(Stream inner, Uri uri, string expectedDigest, long expectedSize) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _bytesRead;
    private bool _verified;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => expectedSize;
    public override long Position { get => _bytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Account(buffer, inner.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Account(buffer.Span, read);
    }

    private int Account(Span<byte> buffer, int read)
    {
        if (read > 0)
        {
            _hash.AppendData(buffer[..read]);
            _bytesRead += read;
            if (_bytesRead > expectedSize)
            {
                throw new ArtifactIntegrityException(uri, $"{expectedSize} bytes", $"more than {expectedSize} bytes");
            }
        }
        else if (buffer.Length > 0 && !_verified)
        {
            _verified = true;
            Verify();
        }

        return read;
    }

    private void Verify()
    {
        if (_bytesRead != expectedSize)
        {
            throw new ArtifactIntegrityException(uri, $"{expectedSize} bytes", $"{_bytesRead} bytes (truncated)");
        }

        var actual = ArtifactDigest.Format(_hash.GetHashAndReset());
        if (!string.Equals(actual, expectedDigest, StringComparison.Ordinal))
        {
            throw new ArtifactIntegrityException(uri, expectedDigest, actual);
        }
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        _hash.Dispose();
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
