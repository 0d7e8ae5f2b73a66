using Whetstone.Operator.Runtime.Leadership;

namespace Whetstone.Operator.Runtime.Controllers;

/// <summary>How one controller runs.</summary>
public sealed record ControllerOptions
{
    /// <summary>Reconciles of different objects that may run at once.</summary>
    public int Workers { get; init; } = 4;

    /// <summary>The first retry delay after a failed reconcile; doubles per failure of the same object.</summary>
    public TimeSpan FailureBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest retry delay after repeated failures.</summary>
    public TimeSpan FailureMaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// With leader election, the lease fence each reconcile passes before it starts (a paused leader whose lease ran
    /// out reconciles nothing more); null without leader election.
    /// </summary>
    public LeaseFence? Fence { get; init; }
}
