namespace Whetstone.Artifacts.Integrity;

/// <summary>Reads an already-buffered head, then the rest of the source: how a put peeks to choose its path.</summary>
internal sealed class PrefixedReadStream(ReadOnlyMemory<byte> head, Stream rest) : ReadOnlyStream
{
    private int _headOffset;

    public override int Read(Span<byte> buffer)
    {
        if (_headOffset < head.Length)
        {
            return CopyHead(buffer);
        }

        return rest.Read(buffer);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _headOffset < head.Length ? ValueTask.FromResult(CopyHead(buffer.Span)) : rest.ReadAsync(buffer, cancellationToken);

    private int CopyHead(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, head.Length - _headOffset);
        head.Span.Slice(_headOffset, count).CopyTo(buffer);
        _headOffset += count;
        return count;
    }
}
