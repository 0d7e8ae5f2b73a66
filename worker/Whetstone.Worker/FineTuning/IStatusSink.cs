using Whetstone.Api.V1Alpha1;

namespace Whetstone.Worker.FineTuning;

/// <summary>Where the worker-owned part of a FineTuneJob's status goes: a file (standalone) or the job's status subresource (pod).</summary>
internal interface IStatusSink
{
    /// <summary>Writes <paramref name="status"/>, which holds only worker-owned fields (never phase or conditions).</summary>
    Task WriteAsync(FineTuneJobStatus status, CancellationToken cancellationToken);
}
