namespace Whetstone.Reliability.Tests.Artifacts;

/// <summary>
/// Content for an upload that stops being readable at <c>gateAt</c> bytes until the test opens the gate, so a fault
/// can be injected at a known point of the upload (the reader is then past the parts before it). It reports its
/// length (as a file would) but cannot seek.
/// </summary>
public sealed class GatedStream(byte[] content, long gateAt) : Stream
{
    private readonly MemoryStream _inner = new(content, writable: false);
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the reader has reached the gate.</summary>
    public Task Reached => _reached.Task;

    /// <summary>Lets the reader go on.</summary>
    public void Open() => _opened.TrySetResult();

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => true;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => _inner.Length;

    /// <inheritdoc />
    public override long Position
    {
        get => _inner.Position;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_inner.Position >= gateAt && !_opened.Task.IsCompleted)
        {
            _reached.TrySetResult();
            await _opened.Task.WaitAsync(cancellationToken);
        }

        var allowed = _inner.Position < gateAt ? (int)Math.Min(buffer.Length, gateAt - _inner.Position) : buffer.Length;
        return await _inner.ReadAsync(buffer[..allowed], cancellationToken);
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _opened.TrySetResult();
        }

        base.Dispose(disposing);
    }
}
