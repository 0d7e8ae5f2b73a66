using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Configuration;

namespace Whetstone.Operator.Rollouts;

/// <summary>
/// The desired children of a ModelRollout as pure functions: one Deployment of <c>whetstone-worker serve</c> per track,
/// a Service per track (and one over both tracks for replica-ratio routing), and the HTTPRoute's backendRefs.
/// </summary>
public static class RolloutChildren
{
    /// <summary>The environment variable that tells the server its track (stable or canary).</summary>
    public const string TrackVariable = Whetstone.Api.Workers.ServingEnvironmentVariables.Track;

    /// <summary>The environment variable that tells the server the version it serves.</summary>
    public const string VersionVariable = Whetstone.Api.Workers.ServingEnvironmentVariables.Version;

    /// <summary>The environment variable that tells the server the ModelRollout it belongs to.</summary>
    public const string RolloutVariable = Whetstone.Api.Workers.ServingEnvironmentVariables.Rollout;

    /// <summary>The pod label that carries the served version.</summary>
    public const string VersionLabel = "whetstone.dev/version";

    /// <summary>The container's name.</summary>
    public const string ContainerName = "server";

    /// <summary>Name of a track's Deployment and Service: <c>&lt;rollout&gt;-stable</c>, <c>&lt;rollout&gt;-canary</c>.</summary>
    public static string TrackName(ModelRollout rollout, string track)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        return $"{rollout.Metadata.Name}-{track}";
    }

    /// <summary>The serving port (default 8080).</summary>
    public static int Port(ModelRollout rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        return rollout.Spec.Serving?.Port ?? 8080;
    }

    /// <summary>The Deployment of one track.</summary>
    public static V1Deployment BuildDeployment(ModelRollout rollout, TrackPlan track, WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(track);
        ArgumentNullException.ThrowIfNull(options);
        var selector = SelectorLabels(rollout, track.Track);
        var podLabels = new Dictionary<string, string>(selector, StringComparer.Ordinal) { [VersionLabel] = track.Version };
        var port = Port(rollout);
        var env = new List<V1EnvVar>
        {
            new() { Name = TrackVariable, Value = track.Track },
            new() { Name = VersionVariable, Value = track.Version },
            new() { Name = RolloutVariable, Value = rollout.Metadata.Name },
        };
        env.AddRange(options.Environment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new V1EnvVar { Name = e.Key, Value = e.Value }));
        var args = new List<string> { "serve", "--model", track.Model.Uri ?? "", "--port", port.ToString(CultureInfo.InvariantCulture) };
        if (rollout.Spec.Serving?.Batching is { } batching)
        {
            if (batching.MaxBatchSize is { } size)
            {
                args.AddRange(["--max-batch-size", size.ToString(CultureInfo.InvariantCulture)]);
            }

            if (batching.MaxDelayMs is { } delay)
            {
                args.AddRange(["--max-delay-ms", delay.ToString(CultureInfo.InvariantCulture)]);
            }
        }

        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = ChildMetadata(rollout, TrackName(rollout, track.Track), podLabels),
            Spec = new V1DeploymentSpec
            {
                Replicas = track.Replicas,
                Selector = new V1LabelSelector { MatchLabels = selector },
                Template = new V1PodTemplateSpec
                {
                    // The annotations most Prometheus setups (and `whetstone up --prometheus`) discover pods by.
                    Metadata = new V1ObjectMeta
                    {
                        Labels = podLabels,
                        Annotations = new Dictionary<string, string>(StringComparer.Ordinal)
                        {
                            ["prometheus.io/scrape"] = "true",
                            ["prometheus.io/port"] = port.ToString(CultureInfo.InvariantCulture),
                            ["prometheus.io/path"] = "/metrics",
                        },
                    },
                    Spec = new V1PodSpec
                    {
                        SecurityContext = options.PodSecurityContext,
                        Containers =
                        [
                            new V1Container
                            {
                                Name = ContainerName,
                                Image = options.Image,
                                ImagePullPolicy = options.ImagePullPolicy,
                                Args = args,
                                Env = env,
                                Ports = [new V1ContainerPort { Name = "http", ContainerPort = port }],
                                ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/readyz", Port = port } },
                                SecurityContext = options.SecurityContext,
                                Resources = BuildResources(rollout.Spec.Serving?.Resources, options),
                            },
                        ],
                    },
                },
            },
        };
    }

    /// <summary>The Service of one track (selects that track's pods).</summary>
    public static V1Service BuildTrackService(ModelRollout rollout, string track)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        return BuildService(rollout, TrackName(rollout, track), SelectorLabels(rollout, track), track);
    }

    /// <summary>The Service over both tracks, named like the rollout (replica-ratio routing splits by pod counts).</summary>
    public static V1Service BuildRolloutService(ModelRollout rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        return BuildService(rollout, rollout.Metadata.Name, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [WhetstoneLabels.Rollout] = WhetstoneLabels.ValueFor(rollout.Metadata.Name),
        }, null);
    }

    /// <summary>
    /// The HTTPRoute's <c>spec.rules</c> with every rule's backendRefs replaced by the two track Services weighted
    /// <c>100 − weight</c> and <c>weight</c> (matches and filters kept); one rule when the route has none.
    /// </summary>
    public static JsonArray BuildRouteRules(ModelRollout rollout, JsonNode? existingRules, int canaryWeight)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var port = Port(rollout);
        JsonArray BackendRefs() =>
        [
            new JsonObject { ["name"] = TrackName(rollout, Tracks.Stable), ["port"] = port, ["weight"] = 100 - canaryWeight },
            new JsonObject { ["name"] = TrackName(rollout, Tracks.Canary), ["port"] = port, ["weight"] = canaryWeight },
        ];
        var rules = existingRules is JsonArray { Count: > 0 } list ? list.OfType<JsonObject>().Select(r => (JsonObject)r.DeepClone()).ToList() : [new JsonObject()];
        foreach (var rule in rules)
        {
            rule["backendRefs"] = BackendRefs();
        }

        return [.. rules];
    }

    /// <summary>
    /// The request header the HTTPRoute's <c>whetstone.dev/sticky-header</c> annotation should carry
    /// (<c>spec.trafficRouting.stickyKey</c>), or null when assignment is per request.
    /// </summary>
    public static string? StickyHeader(ModelRollout rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        return rollout.Spec.TrafficRouting?.StickyKey;
    }

    /// <summary>The weights the route's rules give the canary track (null when the route does not name both tracks).</summary>
    public static int? ReadCanaryWeight(ModelRollout rollout, JsonNode? rules)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var weights = (rules as JsonArray ?? []).OfType<JsonObject>()
            .Select(rule => (rule["backendRefs"] as JsonArray ?? []).OfType<JsonObject>()
                .FirstOrDefault(b => (string?)b["name"] == TrackName(rollout, Tracks.Canary))?["weight"]?.GetValue<int>())
            .Distinct()
            .ToList();
        return weights is [{ } one] ? one : null;
    }

    private static V1Service BuildService(ModelRollout rollout, string name, IDictionary<string, string> selector, string? track)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { [WhetstoneLabels.Rollout] = WhetstoneLabels.ValueFor(rollout.Metadata.Name) };
        if (track is not null)
        {
            labels[WhetstoneLabels.Track] = track;
        }

        return new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = ChildMetadata(rollout, name, labels),
            Spec = new V1ServiceSpec
            {
                Selector = selector,
                Ports = [new V1ServicePort { Name = "http", Port = Port(rollout), TargetPort = Port(rollout), Protocol = "TCP" }],
            },
        };
    }

    private static Dictionary<string, string> SelectorLabels(ModelRollout rollout, string track) => new(StringComparer.Ordinal)
    {
        [WhetstoneLabels.Rollout] = WhetstoneLabels.ValueFor(rollout.Metadata.Name),
        [WhetstoneLabels.Track] = track,
    };

    private static V1ObjectMeta ChildMetadata(ModelRollout rollout, string name, IDictionary<string, string> labels) => new()
    {
        Name = name,
        NamespaceProperty = rollout.Metadata.NamespaceProperty,
        Labels = new Dictionary<string, string>(labels, StringComparer.Ordinal)
        {
            [WhetstoneLabels.ManagedBy] = WhetstoneLabels.ManagerName,
            [WhetstoneLabels.PartOf] = WhetstoneLabels.ApplicationName,
        },
        OwnerReferences =
        [
            new V1OwnerReference
            {
                ApiVersion = rollout.ApiVersion, Kind = rollout.Kind, Name = rollout.Metadata.Name, Uid = rollout.Metadata.Uid,
                Controller = true, BlockOwnerDeletion = true,
            },
        ],
    };

    private static V1ResourceRequirements? BuildResources(WorkerResources? resources, WorkerOptions options)
    {
        if (resources is null)
        {
            return null;
        }

        var limits = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        var requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        if (resources.Gpu?.Count is > 0 and var gpus)
        {
            limits[resources.Gpu.ResourceName ?? options.GpuResourceName] = new ResourceQuantity(gpus.ToString(CultureInfo.InvariantCulture));
        }

        if (resources.Cpu is { } cpu)
        {
            requests["cpu"] = cpu;
        }

        if (resources.Memory is { } memory)
        {
            requests["memory"] = memory;
            limits["memory"] = memory;
        }

        return limits.Count == 0 && requests.Count == 0 ? null : new V1ResourceRequirements
        {
            Limits = limits.Count == 0 ? null : limits,
            Requests = requests.Count == 0 ? null : requests,
        };
    }
}
