using System.Globalization;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.Workers;
using Whetstone.Operator.Configuration;

namespace Whetstone.Operator.Workers;

/// <summary>
/// Builds a worker Pod for one attempt of a job: a pure function of the job and the options, unit-tested by
/// comparing objects. The pod runs <c>whetstone-worker &lt;subcommand&gt;</c>, finds its job through environment
/// variables, gets the artifact store's credentials from a Secret and asks for GPUs as an extended resource.
/// </summary>
public static class WorkerPodBuilder
{
    /// <summary>The longest object name Kubernetes accepts for a Pod that also serves as a label value.</summary>
    private const int MaxNameLength = 63;

    /// <summary>The emptyDir volume workers write to under a read-only root filesystem (see <see cref="WorkerOptions.ScratchMountPath"/>).</summary>
    public const string ScratchVolumeName = "scratch";

    /// <summary>The hostPath volume holding the node's model cache (see <see cref="WorkerOptions.ModelCacheHostPath"/>).</summary>
    public const string ModelCacheVolumeName = "model-cache";

    /// <summary>Where the node's model cache is mounted in the worker; the worker finds it through <see cref="WorkerEnvironmentVariables.ModelCache"/>.</summary>
    public const string ModelCacheMountPath = "/var/cache/whetstone/models";

    /// <summary>
    /// The artifact store Secret's keys and the environment variables the worker reads them from (the worker's
    /// ArtifactStoreOptions; a test checks the two lists agree).
    /// </summary>
    public static IReadOnlyList<(string Environment, string SecretKey)> ArtifactStoreSecretKeys { get; } =
    [
        ("WHETSTONE_S3_ENDPOINT", "endpoint"),
        ("WHETSTONE_S3_ACCESS_KEY", "accessKey"),
        ("WHETSTONE_S3_SECRET_KEY", "secretKey"),
        ("WHETSTONE_S3_REGION", "region"),
        ("WHETSTONE_S3_TLS", "tls"),
    ];

    /// <summary>The pod name of an attempt: <c>&lt;job&gt;-worker-&lt;attempt&gt;</c>, shortened to fit.</summary>
    public static string PodName(string jobName, int attempt)
    {
        var suffix = $"-worker-{attempt.ToString(CultureInfo.InvariantCulture)}";
        var head = jobName.Length + suffix.Length > MaxNameLength ? jobName[..(MaxNameLength - suffix.Length)].TrimEnd('-', '.') : jobName;
        return head + suffix;
    }

    /// <summary>The labels every worker pod of a job carries (also the selector that finds them).</summary>
    public static IDictionary<string, string> SelectorLabels(string kind, string jobName) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [WhetstoneLabels.Job] = WhetstoneLabels.ValueFor(jobName),
        [WhetstoneLabels.Kind] = kind,
    };

    /// <summary>Builds the Pod.</summary>
    public static V1Pod Build(WorkerPodRequest request, WorkerOptions options)
    {
        var job = request.Job;
        var meta = job.Metadata;
        var labels = SelectorLabels(job.Kind, meta.Name);
        labels[WhetstoneLabels.Name] = WhetstoneLabels.ApplicationName;
        labels[WhetstoneLabels.Instance] = meta.Name;
        labels[WhetstoneLabels.Component] = $"{request.Subcommand}-worker";
        labels[WhetstoneLabels.ManagedBy] = WhetstoneLabels.ManagerName;
        labels[WhetstoneLabels.PartOf] = WhetstoneLabels.ApplicationName;
        if (!string.IsNullOrEmpty(request.QueueName))
        {
            labels[WhetstoneLabels.KueueQueueName] = request.QueueName;
        }

        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = PodName(meta.Name, request.Attempt),
                NamespaceProperty = meta.NamespaceProperty,
                Labels = labels,
                Annotations = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [WorkerAnnotations.Attempt] = request.Attempt.ToString(CultureInfo.InvariantCulture),
                    [WorkerAnnotations.Generation] = (meta.Generation ?? 0).ToString(CultureInfo.InvariantCulture),
                },
                OwnerReferences =
                [
                    new V1OwnerReference
                    {
                        ApiVersion = job.ApiVersion,
                        Kind = job.Kind,
                        Name = meta.Name,
                        Uid = meta.Uid,
                        Controller = true,
                        BlockOwnerDeletion = true,
                    },
                ],
            },
            Spec = new V1PodSpec
            {
                RestartPolicy = "Never",
                ServiceAccountName = options.PerJobServiceAccounts ? WorkerAccess.Name(job.Kind, meta.Name) : options.ServiceAccountName,
                TerminationGracePeriodSeconds = options.TerminationGracePeriodSeconds,
                ActiveDeadlineSeconds = request.ActiveDeadlineSeconds,
                NodeSelector = BuildNodeSelector(request.Resources, options),
                Tolerations = request.Resources?.Tolerations?.ToList(),
                PriorityClassName = string.IsNullOrEmpty(request.Resources?.PriorityClassName) ? null : request.Resources.PriorityClassName,
                SecurityContext = options.PodSecurityContext,
                Volumes = NullWhenEmpty(BuildVolumes(options)),
                Containers =
                [
                    new V1Container
                    {
                        Name = "worker",
                        Image = options.Image,
                        ImagePullPolicy = options.ImagePullPolicy,
                        Args = [request.Subcommand, "--from-cluster"],
                        Env = BuildEnvironment(request, options),
                        Resources = WithEphemeralStorage(BuildResources(request.Resources, options), options),
                        TerminationMessagePolicy = "FallbackToLogsOnError",
                        SecurityContext = options.SecurityContext,
                        VolumeMounts = NullWhenEmpty(BuildVolumeMounts(options)),
                    },
                ],
            },
        };
    }

    private static List<V1EnvVar> BuildEnvironment(WorkerPodRequest request, WorkerOptions options)
    {
        var meta = request.Job.Metadata;
        var env = new List<V1EnvVar>
        {
            Env(WorkerEnvironmentVariables.JobKind, request.Job.Kind),
            Env(WorkerEnvironmentVariables.JobNamespace, meta.NamespaceProperty),
            Env(WorkerEnvironmentVariables.JobName, meta.Name),
            Env(WorkerEnvironmentVariables.JobUid, meta.Uid),
            Env(WorkerEnvironmentVariables.Attempt, request.Attempt.ToString(CultureInfo.InvariantCulture)),
            Env(WorkerEnvironmentVariables.Generation, (meta.Generation ?? 0).ToString(CultureInfo.InvariantCulture)),
        };
        if (!string.IsNullOrEmpty(options.ArtifactStoreSecretName))
        {
            env.AddRange(ArtifactStoreSecretKeys.Select(k => new V1EnvVar
            {
                Name = k.Environment,
                ValueFrom = new V1EnvVarSource
                {
                    SecretKeyRef = new V1SecretKeySelector { Name = options.ArtifactStoreSecretName, Key = k.SecretKey, Optional = true },
                },
            }));
        }

        if (!string.IsNullOrEmpty(options.ModelCacheHostPath))
        {
            env.Add(Env(WorkerEnvironmentVariables.ModelCache, ModelCacheMountPath));
        }

        if (!string.IsNullOrEmpty(options.ModelCacheMaxSize))
        {
            // Also in the embedded mode, whose node gives workers its own cache folder.
            env.Add(Env(WorkerEnvironmentVariables.ModelCacheMaxBytes,
                new ResourceQuantity(options.ModelCacheMaxSize).ToInt64().ToString(CultureInfo.InvariantCulture)));
        }

        env.AddRange(options.Environment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => Env(e.Key, e.Value)));
        return env;
    }

    private static V1EnvVar Env(string name, string value) => new() { Name = name, Value = value };

    private static Dictionary<string, string>? BuildNodeSelector(Api.V1Alpha1.WorkerResources? resources, WorkerOptions options)
    {
        var selector = new Dictionary<string, string>(resources?.NodeSelector ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(resources?.Gpu?.Product))
        {
            selector[options.GpuProductLabel] = resources.Gpu.Product;
        }

        return selector.Count == 0 ? null : selector;
    }

    private static List<V1Volume> BuildVolumes(WorkerOptions options)
    {
        var volumes = new List<V1Volume>();
        if (!string.IsNullOrEmpty(options.ScratchMountPath))
        {
            volumes.Add(BuildScratchVolume(options));
        }

        if (!string.IsNullOrEmpty(options.ModelCacheHostPath))
        {
            volumes.Add(new V1Volume { Name = ModelCacheVolumeName, HostPath = new V1HostPathVolumeSource { Path = options.ModelCacheHostPath, Type = "DirectoryOrCreate" } });
        }

        return volumes;
    }

    private static List<V1VolumeMount> BuildVolumeMounts(WorkerOptions options)
    {
        var mounts = new List<V1VolumeMount>();
        if (!string.IsNullOrEmpty(options.ScratchMountPath))
        {
            mounts.Add(new V1VolumeMount { Name = ScratchVolumeName, MountPath = options.ScratchMountPath });
        }

        if (!string.IsNullOrEmpty(options.ModelCacheHostPath))
        {
            mounts.Add(new V1VolumeMount { Name = ModelCacheVolumeName, MountPath = ModelCacheMountPath });
        }

        return mounts;
    }

    private static List<T>? NullWhenEmpty<T>(List<T> items) => items.Count == 0 ? null : items;

    private static V1Volume BuildScratchVolume(WorkerOptions options) => new()
    {
        Name = ScratchVolumeName,
        EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = string.IsNullOrEmpty(options.ScratchSizeLimit) ? null : new ResourceQuantity(options.ScratchSizeLimit) },
    };

    // Ephemeral storage is requested, not limited: a limit evicts a worker mid-run, the request only places it.
    private static V1ResourceRequirements? WithEphemeralStorage(V1ResourceRequirements? resources, WorkerOptions options)
    {
        if (string.IsNullOrEmpty(options.EphemeralStorageRequest))
        {
            return resources;
        }

        var requests = new Dictionary<string, ResourceQuantity>(resources?.Requests ?? new Dictionary<string, ResourceQuantity>(), StringComparer.Ordinal)
        {
            ["ephemeral-storage"] = new ResourceQuantity(options.EphemeralStorageRequest),
        };
        return new V1ResourceRequirements { Requests = requests, Limits = resources?.Limits };
    }

    private static V1ResourceRequirements? BuildResources(Api.V1Alpha1.WorkerResources? resources, WorkerOptions options)
    {
        var amounts = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        if (resources?.Cpu is { } cpu)
        {
            amounts["cpu"] = cpu;
        }

        if (resources?.Memory is { } memory)
        {
            amounts["memory"] = memory;
        }

        if (resources?.Gpu is { Count: > 0 } gpu)
        {
            var name = string.IsNullOrEmpty(gpu.ResourceName) ? options.GpuResourceName : gpu.ResourceName;
            amounts[name] = new ResourceQuantity(gpu.Count.Value.ToString(CultureInfo.InvariantCulture));
        }

        // Requests equal limits: GPUs cannot be overcommitted, and equal CPU/memory gives the Guaranteed QoS class.
        return amounts.Count == 0
            ? null
            : new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity>(amounts), Limits = new Dictionary<string, ResourceQuantity>(amounts) };
    }
}
