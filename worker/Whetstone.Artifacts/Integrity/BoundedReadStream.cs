namespace Whetstone.Artifacts.Integrity;

/// <summary>Reads at most <paramref name="length"/> bytes of <paramref name="inner"/>: a ranged read of a file.</summary>
internal sealed class BoundedReadStream(Stream inner, long limit) : ReadOnlyStream
{
    private readonly long _limit = limit;
    private long _remaining = limit;

    public override long Length => _limit;
    public override long Position { get => _limit - _remaining; set => throw new NotSupportedException(); }

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, _remaining)]);
        _remaining -= read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _remaining)], cancellationToken).ConfigureAwait(false);
        _remaining -= read;
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
