namespace Whetstone.Operator.Runtime.Leadership;

/// <summary>A write refused because this replica no longer holds the leader Lease by its own clock.</summary>
public sealed class LeaseNotHeldException : InvalidOperationException
{
    /// <summary>Creates the error for the refused <paramref name="write"/>.</summary>
    /// <param name="write">The refused request (method and path).</param>
    /// <param name="sinceRenewal">Time since the last renew, or null when this replica does not lead.</param>
    /// <param name="validity">How long a renew keeps the fence open.</param>
    public LeaseNotHeldException(string write, TimeSpan? sinceRenewal, TimeSpan validity)
        : base(sinceRenewal is { } since
            ? $"refused {write}: the leader Lease was last renewed {since.TotalSeconds:0.0}s ago, past the {validity.TotalSeconds:0.0}s renew deadline; another replica may lead now"
            : $"refused {write}: this replica does not hold the leader Lease")
    {
    }

    /// <summary>Creates the error with a message.</summary>
    public LeaseNotHeldException()
    {
    }

    /// <summary>Creates the error with a message.</summary>
    public LeaseNotHeldException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a message and its cause.</summary>
    public LeaseNotHeldException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
