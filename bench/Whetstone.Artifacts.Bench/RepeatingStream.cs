namespace Whetstone.Artifacts.Bench;

/// <summary>A non-seekable source of <paramref name="length"/> bytes cycling through a 1 MiB random block: size without memory.</summary>
internal sealed class RepeatingStream(long length) : Stream
{
    private readonly byte[] _block = CreateBlock();
    private long _position;

    private static byte[] CreateBlock()
    {
        var bytes = new byte[1 << 20];
        new Random(42).NextBytes(bytes);
        return bytes;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var offsetInBlock = (int)(_position % _block.Length);
        var count = (int)Math.Min(Math.Min(buffer.Length, _block.Length - offsetInBlock), length - _position);
        _block.AsSpan(offsetInBlock, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
