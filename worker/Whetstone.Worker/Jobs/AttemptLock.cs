using System.Globalization;
using Whetstone.Api;

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

    // Longer than any termination grace period: the previous attempt is SIGKILLed by then, which releases the lock.
    private static readonly TimeSpan JobLockTimeout = TimeSpan.FromMinutes(10);
    private readonly FileStream _file;

    private AttemptLock(FileStream file) => this._file = file;

    /// <summary>
    /// Takes the lock on the folder where a job's checkpoints live on this machine: <c>&lt;output&gt;/&lt;uid&gt;</c>
    /// for <c>file://</c> output (written in place), else the work folder (the local mirror). A predecessor that
    /// still holds it after ten minutes fails the attempt with <c>WorkerFailed</c>.
    /// </summary>
    public static async Task<AttemptLock> AcquireForJobAsync(IWorkerJobContext context, string outputUri, Action<string> say, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var directory = ArtifactUris.LocalPathOf(outputUri) is { } localOutput ? Path.Combine(localOutput, context.JobUid) : context.WorkDirectory;
        try
        {
            return await AcquireAsync(directory, JobLockTimeout, say, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException error)
        {
            throw new JobFailureException(ConditionReasons.WorkerFailed, error.Message, error);
        }
    }

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
