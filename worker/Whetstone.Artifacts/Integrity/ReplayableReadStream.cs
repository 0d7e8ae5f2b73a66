namespace Whetstone.Artifacts.Integrity;

/// <summary>
/// Reads a forward-only source once and keeps what it read in a spool file (deleted on dispose), so that after
/// <see cref="Rewind"/> the same bytes can be read again from the start: the spooled part from the file, then the
/// rest from the source, spooled in turn. This lets a streamed upload that failed part-way be sent again without
/// rereading (or re-hashing) its source. Disk use is at most the object's size; memory stays one buffer.
/// </summary>
internal sealed class ReplayableReadStream : ReadOnlyStream
{
    private readonly Stream _source;
    private readonly FileStream _spool;
    private long _position;

    public ReplayableReadStream(Stream source, string spoolDirectory)
    {
        _source = source;
        Directory.CreateDirectory(spoolDirectory);
        _spool = new FileStream(Path.Combine(spoolDirectory, $"whetstone-upload-{Guid.NewGuid():N}.spool"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
    }

    /// <summary>Bytes taken from the source so far (and kept in the spool).</summary>
    public long Spooled => _spool.Length;

    /// <summary>True once reading the source itself failed: sending the upload again cannot help.</summary>
    public bool SourceFailed { get; private set; }

    /// <summary>Starts reading again from the first byte.</summary>
    public void Rewind() => _position = 0;

    public override int Read(Span<byte> buffer)
    {
        if (_position < _spool.Length)
        {
            _spool.Position = _position;
            var fromSpool = _spool.Read(buffer[..(int)Math.Min(buffer.Length, _spool.Length - _position)]);
            _position += fromSpool;
            return fromSpool;
        }

        int read;
        try
        {
            read = _source.Read(buffer);
        }
        catch (Exception)
        {
            SourceFailed = true;
            throw;
        }

        _spool.Position = _spool.Length;
        _spool.Write(buffer[..read]);
        _position += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position < _spool.Length)
        {
            _spool.Position = _position;
            var fromSpool = await _spool.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _spool.Length - _position)], cancellationToken).ConfigureAwait(false);
            _position += fromSpool;
            return fromSpool;
        }

        int read;
        try
        {
            read = await _source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            SourceFailed = true;
            throw;
        }

        _spool.Position = _spool.Length;
        await _spool.WriteAsync(buffer[..read], cancellationToken).ConfigureAwait(false);
        _position += read;
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _spool.Dispose();
        }

        base.Dispose(disposing);
    }
}
