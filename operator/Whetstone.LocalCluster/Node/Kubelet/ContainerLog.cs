using System.Text;

namespace Whetstone.LocalCluster.Node.Kubelet;

/// <summary>
/// One container's log file: stdout and stderr lines appended as they arrive and flushed at once, so
/// <c>kubectl logs</c> (served by the API server from this file) sees them live and nothing is lost on a crash.
/// </summary>
internal sealed class ContainerLog : IDisposable
{
    private readonly Lock _gate = new();
    private readonly StreamWriter _writer;
    private bool _disposed;

    public ContainerLog(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        _writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    public void WriteLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            // Output events may still arrive while the container is being torn down.
            if (_disposed)
            {
                return;
            }

            _writer.Write(line);
            _writer.Write('\n');
            _writer.Flush();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _writer.Dispose();
        }
    }

    /// <summary>The last <paramref name="maxLines"/> lines (at most <paramref name="maxBytes"/> bytes) of a log file.</summary>
    public static string ReadTail(string path, int maxLines, int maxBytes)
    {
        if (!File.Exists(path))
        {
            return "";
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = Math.Min(stream.Length, maxBytes);
        stream.Seek(-length, SeekOrigin.End);
        var buffer = new byte[length];
        stream.ReadExactly(buffer);
        var lines = Encoding.UTF8.GetString(buffer).TrimEnd('\n').Split('\n');
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - maxLines)));
    }
}
