namespace Whetstone.Operator.Workers;

/// <summary>How many failures a job may have and how long to wait before the next attempt (pure); which failures are not worth another attempt is the kind's (<see cref="IWorkerJobKind{TJob}.PermanentFailureReasons"/>).</summary>
public static class RetryPolicy
{
    /// <summary>The default of <c>runPolicy.backoffLimit</c>.</summary>
    public const int DefaultBackoffLimit = 2;

    /// <summary>The wait before the attempt after <paramref name="failures"/> failures.</summary>
    public static TimeSpan Delay(int failures, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var ticks = baseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)ticks);
    }
}
