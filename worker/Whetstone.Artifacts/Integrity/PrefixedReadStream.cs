namespace Whetstone.Artifacts.Integrity;

/// <summary>Reads an already-buffered head, then the rest of the source: how a put peeks to choose its path.</summary>
internal sealed class PrefixedReadStream(ReadOnlyMemory<byte> head, Stream rest) : Stream
{
    private int headOffset;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (headOffset < head.Length)
        {
            return CopyHead(buffer);
        }

        return rest.Read(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        headOffset < head.Length ? ValueTask.FromResult(CopyHead(buffer.Span)) : rest.ReadAsync(buffer, cancellationToken);

    private int CopyHead(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, head.Length - headOffset);
        head.Span.Slice(headOffset, count).CopyTo(buffer);
        headOffset += count;
        return count;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
