namespace Whetstone.Operator.Runtime.Controllers;

/// <summary>The non-generic face of <see cref="OwnedResourceCache{TChild}"/>, for the host that runs them.</summary>
public interface IOwnedResourceCache
{
    /// <summary>The child type cached.</summary>
    Type ChildType { get; }

    /// <summary>Completes when the first list has been loaded.</summary>
    Task Synced { get; }

    /// <summary>Runs the informer until cancelled.</summary>
    Task RunAsync(CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="enqueue"/> with <c>namespace/owner</c> whenever a child controlled by a <paramref name="ownerKind"/> changes.</summary>
    void OnOwnerChanged(string ownerKind, Action<string> enqueue);
}
