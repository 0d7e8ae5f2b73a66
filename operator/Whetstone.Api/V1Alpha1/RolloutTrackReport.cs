namespace Whetstone.Api.V1Alpha1;

/// <summary>One track's figures over a rollout attempt, from the serving metrics in Prometheus.</summary>
public sealed record RolloutTrackReport
{
    /// <summary>stable or canary.</summary>
    public string? Track { get; set; }

    /// <summary>The version the track served during the attempt.</summary>
    public string? Version { get; set; }

    /// <summary>Inference requests answered or failed (whetstone_inference_requests_total).</summary>
    public double? Requests { get; set; }

    /// <summary>Requests with outcome error.</summary>
    public double? Errors { get; set; }

    /// <summary>North-star attempts (whetstone_north_star_attempts_total).</summary>
    public double? Attempts { get; set; }

    /// <summary>North-star successes (whetstone_north_star_successes_total).</summary>
    public double? Successes { get; set; }

    /// <summary>Successes over attempts.</summary>
    public double? Conversion { get; set; }

    /// <summary>Lower end of the 95 % Wilson score interval of the conversion.</summary>
    public double? ConversionLow { get; set; }

    /// <summary>Upper end of the 95 % Wilson score interval of the conversion.</summary>
    public double? ConversionHigh { get; set; }

    /// <summary>99th percentile of the request duration in seconds (whetstone_inference_request_duration_seconds).</summary>
    public double? P99Seconds { get; set; }
}
