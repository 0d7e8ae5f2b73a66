using Whetstone.Api;

namespace Whetstone.Operator.Workers;

/// <summary>Which failures are worth another attempt, and how long to wait before it (pure).</summary>
public static class RetryPolicy
{
    /// <summary>The default of <c>runPolicy.backoffLimit</c>.</summary>
    public const int DefaultBackoffLimit = 2;

    /// <summary>
    /// Failures that would repeat on a retry (bad data, bad model, diverging loss, a pinned digest that does not
    /// match): the job fails at once instead of burning GPU time.
    /// </summary>
    public static bool IsPermanent(string? reason) => reason is
        ConditionReasons.Diverged or ConditionReasons.DatasetInvalid or ConditionReasons.ModelInvalid or ConditionReasons.DigestMismatch;

    /// <summary>The wait before the attempt after <paramref name="failures"/> failures.</summary>
    public static TimeSpan Delay(int failures, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var ticks = baseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)ticks);
    }
}
