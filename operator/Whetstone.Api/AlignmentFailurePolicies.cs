namespace Whetstone.Api;

/// <summary>CompressionJob <c>alignment.onFailure</c> values.</summary>
public static class AlignmentFailurePolicies
{
    /// <summary>Fail the job with AlignmentFailed; the compressed model is still published, marked unaligned.</summary>
    public const string Fail = "fail";

    /// <summary>Keep the worst layer in FP32, measure again, repeat up to <c>maxFallbackTries</c>.</summary>
    public const string Fallback = "fallback";
}
