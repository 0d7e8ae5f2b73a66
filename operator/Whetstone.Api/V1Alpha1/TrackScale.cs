using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Where the autoscaler stands for one track (or, with replicaRatio routing, the whole rollout).</summary>
public sealed record TrackScale
{
    /// <summary>stable, canary, or all (replicaRatio routing sizes both tracks together).</summary>
    [Required]
    public string Track { get; set; } = "";

    /// <summary>Pods the track is sized to now.</summary>
    public int? Replicas { get; set; }

    /// <summary>The last measured load: requests in flight (30 s average) summed over the track's pods.</summary>
    public double? InFlight { get; set; }

    /// <summary>The last measured P99 request duration in milliseconds.</summary>
    public double? P99Ms { get; set; }

    /// <summary>When the load was last measured.</summary>
    public DateTime? LastMeasureTime { get; set; }

    /// <summary>When the replica count last changed.</summary>
    public DateTime? LastScaleTime { get; set; }

    /// <summary>Why the count is what it is, in words.</summary>
    public string? Message { get; set; }

    /// <summary>Recommendations within the scale-down stabilization window (newest last).</summary>
    [Items(Max = 64)]
    public IList<ScaleRecommendation>? Recommendations { get; set; }
}

/// <summary>One autoscaler recommendation.</summary>
public sealed record ScaleRecommendation
{
    /// <summary>When it was made.</summary>
    public DateTime At { get; set; }

    /// <summary>Pods recommended.</summary>
    public int Replicas { get; set; }
}
