namespace Whetstone.Operator.Hosting;

/// <summary>
/// Readiness for <c>/readyz</c>: this replica can serve its role. A standby is ready once it has read the Lease (it
/// reaches the API server and stands by to take over); the leader is ready once its caches have synced. Leadership
/// itself is not readiness (a Deployment of two replicas must show 2/2): it is exported as the
/// <c>whetstone_leader</c> gauge instead.
/// </summary>
public sealed class OperatorReadiness
{
    private readonly Lock _gate = new();
    private OperatorRole _role = OperatorRole.Starting;
    private bool _synced;

    /// <summary>This replica's role now.</summary>
    public OperatorRole Role
    {
        get
        {
            lock (_gate)
            {
                return _role;
            }
        }
    }

    /// <summary>True while this replica runs the controllers (it holds the Lease, or election is off).</summary>
    public bool IsLeader => Role == OperatorRole.Leader;

    /// <summary>True when this replica can serve its role: a standby that has read the Lease, or a leader whose caches synced.</summary>
    public bool IsReady
    {
        get
        {
            lock (_gate)
            {
                return _role == OperatorRole.Standby || (_role == OperatorRole.Leader && _synced);
            }
        }
    }

    /// <summary>Why <see cref="IsReady"/> is false, for the <c>/readyz</c> body.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            return _role switch
            {
                OperatorRole.Starting => "waiting to reach the Lease",
                OperatorRole.Standby => "standby",
                _ => _synced ? "leader" : "leader, caches not synced",
            };
        }
    }

    /// <summary>Records that this replica read the Lease and another replica leads.</summary>
    public void MarkStandby() => SetRole(OperatorRole.Standby);

    /// <summary>Records that this replica started leading (its caches sync next).</summary>
    public void MarkLeading() => SetRole(OperatorRole.Leader);

    /// <summary>Records that the leader's caches listed everything.</summary>
    public void MarkSynced()
    {
        lock (_gate)
        {
            _synced = _role == OperatorRole.Leader;
        }
    }

    /// <summary>Records that this replica stopped leading; it competes again and is a standby until it leads again.</summary>
    public void MarkStoppedLeading() => SetRole(OperatorRole.Standby);

    private void SetRole(OperatorRole role)
    {
        lock (_gate)
        {
            _role = role;
            _synced = false;
        }
    }
}
