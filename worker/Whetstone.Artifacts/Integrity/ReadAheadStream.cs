using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace Whetstone.Artifacts.Integrity;

/// <summary>
/// Reads a source ahead of its consumer on a background task, into at most <c>depth</c> pooled chunks, so that
/// reading the source (and hashing it, when the source is a <see cref="HashingReadStream"/>) overlaps whatever the
/// consumer does with the bytes it already has: an S3 upload hashes the next part while the SDK sends the previous one,
/// and the file store hashes the next chunks while it writes (<see cref="ReadChunkAsync"/>, without a copy).
/// Memory is bounded by depth × chunk size whatever the object's size. A failure of the source reaches the
/// consumer's next read as the source's own exception.
/// </summary>
internal sealed class ReadAheadStream : ReadOnlyStream
{
    private readonly Channel<(byte[] Buffer, int Length)> _chunks;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _producer;
    private byte[]? _current;
    private int _currentLength;
    private int _currentOffset;
    private bool _finished;

    /// <summary>Starts reading <paramref name="source"/> ahead in chunks of <paramref name="chunkBytes"/>, at most <paramref name="depth"/> waiting.</summary>
    public ReadAheadStream(Stream source, int chunkBytes, int depth)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(depth);
        _chunks = Channel.CreateBounded<(byte[] Buffer, int Length)>(new BoundedChannelOptions(depth) { SingleReader = true, SingleWriter = true });
        _producer = Task.Run(() => ProduceAsync(source, chunkBytes), CancellationToken.None);
    }

    private async Task ProduceAsync(Stream source, int chunkBytes)
    {
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(chunkBytes);
                var read = await source.ReadAtLeastAsync(buffer.AsMemory(0, chunkBytes), chunkBytes, throwOnEndOfStream: false, _stop.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }

                await _chunks.Writer.WriteAsync((buffer, read), _stop.Token).ConfigureAwait(false);
            }

            _chunks.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _chunks.Writer.TryComplete(e);
        }
    }

    public override int Read(Span<byte> buffer)
    {
        if (!HasBytes() && !WaitForChunkAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult())
        {
            return 0;
        }

        return CopyOut(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!HasBytes() && !await WaitForChunkAsync(cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        return CopyOut(buffer.Span);
    }

    /// <summary>
    /// The rest of the current chunk, or the next chunk, without copying it; empty at the end of the source. The memory
    /// is valid until the next read (its buffer then goes back to the pool).
    /// </summary>
    public async ValueTask<ReadOnlyMemory<byte>> ReadChunkAsync(CancellationToken cancellationToken)
    {
        if (!HasBytes() && !await WaitForChunkAsync(cancellationToken).ConfigureAwait(false))
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var chunk = _current.AsMemory(_currentOffset, _currentLength - _currentOffset);
        _currentOffset = _currentLength;
        return chunk;
    }

    private bool HasBytes() => _current is not null && _currentOffset < _currentLength;

    /// <summary>Moves to the next chunk; false at the end of the source. Rethrows the source's failure.</summary>
    private async ValueTask<bool> WaitForChunkAsync(CancellationToken cancellationToken)
    {
        ReleaseCurrent();
        if (_finished)
        {
            return false;
        }

        try
        {
            if (!await _chunks.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                _finished = true;
                return false;
            }
        }
        catch (ChannelClosedException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
        }

        (_current, _currentLength) = _chunks.Reader.TryRead(out var chunk) ? chunk : throw new InvalidOperationException("A chunk was announced but not there.");
        _currentOffset = 0;
        return true;
    }

    private int CopyOut(Span<byte> destination)
    {
        var count = Math.Min(destination.Length, _currentLength - _currentOffset);
        _current.AsSpan(_currentOffset, count).CopyTo(destination);
        _currentOffset += count;
        return count;
    }

    private void ReleaseCurrent()
    {
        if (_current is not null)
        {
            ArrayPool<byte>.Shared.Return(_current);
            _current = null;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            StopAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    /// <summary>Stops the producer and hands every chunk still held back to the pool.</summary>
    private async ValueTask StopAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _producer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ReleaseCurrent();
        while (_chunks.Reader.TryRead(out var chunk))
        {
            ArrayPool<byte>.Shared.Return(chunk.Buffer);
        }

        _stop.Dispose();
    }
}
