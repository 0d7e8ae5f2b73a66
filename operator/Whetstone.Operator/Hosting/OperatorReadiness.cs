namespace Whetstone.Operator.Hosting;

/// <summary>Readiness for /readyz: the caches have synced once.</summary>
public sealed class OperatorReadiness
{
    private volatile bool _synced;

    /// <summary>True once the informers listed everything.</summary>
    public bool IsSynced => _synced;

    /// <summary>Records that the informers synced.</summary>
    public void MarkSynced() => _synced = true;
}
