using k8s;
using k8s.Models;
using Whetstone.Operator.Runtime.Informers;

namespace Whetstone.Operator.Runtime.Controllers;

/// <summary>
/// The children of one type (Pods today; Deployments, Services, routes later) that controllers create, as
/// controller-runtime's <c>Owns()</c> gives them: one informer per child type shared by every controller that owns
/// that type; a change to a child wakes the controller of its owner (the controller owner reference), and a controller
/// reads its object's children from the cache.
/// </summary>
/// <typeparam name="TChild">The child type.</typeparam>
public sealed class OwnedResourceCache<TChild>(Informer<TChild> informer, Func<string, string, CancellationToken, Task<TChild?>> readAsync) : IOwnedResourceCache
    where TChild : class, IKubernetesObject<V1ObjectMeta>
{
    /// <inheritdoc />
    public Type ChildType => typeof(TChild);

    /// <inheritdoc />
    public Task Synced => informer.Synced;

    /// <inheritdoc />
    public Task RunAsync(CancellationToken cancellationToken) => informer.RunAsync(cancellationToken);

    /// <inheritdoc />
    public void OnOwnerChanged(string ownerKind, Action<string> enqueue)
    {
        ArgumentNullException.ThrowIfNull(enqueue);
        informer.OnEvent(change =>
        {
            if (ControllerOf(change.Object) is { } owner && owner.Kind == ownerKind)
            {
                enqueue($"{change.Object.Metadata.NamespaceProperty}/{owner.Name}");
            }
        });
    }

    /// <summary>
    /// The children <paramref name="owner"/> controls, once the cache has synced. The cache may lag behind a child the
    /// controller just created, so when <paramref name="latestName"/> is missing from it, that child is read from the
    /// API before anyone concludes it is gone.
    /// </summary>
    public async Task<IReadOnlyList<TChild>> ForOwnerAsync(IKubernetesObject<V1ObjectMeta> owner, string? latestName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);

        // Controllers start when their own informer has synced, maybe before this one: an empty cache would send
        // every object's latest child to the API (a GET per object after each operator start) instead of waiting for one list.
        await informer.Synced.WaitAsync(cancellationToken).ConfigureAwait(false);
        var ns = owner.Metadata.NamespaceProperty;
        var children = informer.List()
            .Where(c => c.Metadata.NamespaceProperty == ns && ControllerOf(c) is { } o && o.Kind == owner.Kind && o.Name == owner.Metadata.Name)
            .ToList();
        if (latestName is null || children.Any(c => c.Metadata.Name == latestName))
        {
            return children;
        }

        if (await readAsync(ns, latestName, cancellationToken).ConfigureAwait(false) is { } latest)
        {
            children.Add(latest);
        }

        return children;
    }

    private static V1OwnerReference? ControllerOf(TChild child) => child.Metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true);
}
