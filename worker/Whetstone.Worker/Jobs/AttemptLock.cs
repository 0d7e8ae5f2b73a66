using System.Globalization;

namespace Whetstone.Worker.Jobs;

/// <summary>
/// An exclusive lock on a job's checkpoint folder, held from before an attempt looks for checkpoints until the process
/// ends (the operating system releases it even on SIGKILL). A Pod can disappear from the API before its process has
/// stopped (the local node removes Pods at once and stops their containers within the grace period afterwards), so
/// the operator may start the next attempt while the previous one is still writing its SIGTERM checkpoint; the next
/// attempt waits here for that checkpoint instead of starting from scratch beside it.
/// </summary>
internal sealed class AttemptLock : IDisposable
{
    /// <summary>The lock file's name inside the folder it guards.</summary>
    public const string FileName = ".whetstone-attempt.lock";

    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(250);
    private readonly FileStream _file;

    private AttemptLock(FileStream file) => this._file = file;

    /// <summary>
    /// Takes the lock on <paramref name="directory"/>, waiting while another process holds it (saying so once) for
    /// at most <paramref name="timeout"/>; throws <see cref="TimeoutException"/> after that.
    /// </summary>
    public static async Task<AttemptLock> AcquireAsync(string directory, TimeSpan timeout, Action<string> say, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var deadline = DateTime.UtcNow + timeout;
        var announced = false;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive advisory lock (flock) on Unix, released when the process ends.
                return new AttemptLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                if (!announced)
                {
                    say($"waiting for the previous attempt of this job to stop and release {path}");
                    announced = true;
                }

                await Task.Delay(RetryInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException error)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"another attempt of this job still holds {path} after {timeout.TotalSeconds:F0} s"), error);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
