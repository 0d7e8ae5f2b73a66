using k8s;
using k8s.Models;

namespace Whetstone.Api;

/// <summary>A job that runs in worker pods, seen through the fields every such kind shares.</summary>
/// <typeparam name="TStatus">The kind's status type.</typeparam>
public interface IWorkerJob<TStatus> : IKubernetesObject<V1ObjectMeta>, IStatus<TStatus?>
    where TStatus : class, IWorkerJobStatus
{
    /// <summary>The shared part of the spec.</summary>
    IWorkerJobSpec WorkerSpec { get; }
}
