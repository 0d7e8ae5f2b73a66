namespace Whetstone.Worker.Jobs;

/// <summary>Where the worker-owned part of a job's status goes: a file (standalone) or the status subresource (pod).</summary>
/// <typeparam name="TStatus">The kind's status type.</typeparam>
internal interface IStatusSink<in TStatus>
{
    /// <summary>Writes the worker-owned fields of <paramref name="status"/> (never phase or conditions).</summary>
    Task WriteAsync(TStatus status, CancellationToken cancellationToken);
}
