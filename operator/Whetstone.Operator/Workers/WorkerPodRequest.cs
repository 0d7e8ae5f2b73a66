using k8s;
using k8s.Models;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Operator.Workers;

/// <summary>What a job asks of one worker attempt; the same shape for every job kind.</summary>
/// <param name="Job">The owning job.</param>
/// <param name="Subcommand">The worker subcommand (finetune, compress, evaluate).</param>
/// <param name="Attempt">The attempt number, from 1.</param>
/// <param name="Resources">CPU, memory, GPU, placement.</param>
/// <param name="QueueName">The Kueue queue, if any.</param>
/// <param name="ActiveDeadlineSeconds">Seconds the pod may run (what is left of the job's deadline).</param>
public sealed record WorkerPodRequest(
    IKubernetesObject<V1ObjectMeta> Job,
    string Subcommand,
    int Attempt,
    WorkerResources? Resources,
    string? QueueName,
    long? ActiveDeadlineSeconds);
