using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace Whetstone.Operator.Runtime.Informers;

/// <summary>Builds <see cref="IResourceSource{T}"/>s for the types the operator watches.</summary>
public static class ResourceSources
{
    /// <summary>
    /// Custom resources of <typeparamref name="T"/> (described by its <see cref="KubernetesEntityAttribute"/>), in
    /// <paramref name="namespace"/> or cluster-wide when it is null.
    /// </summary>
    public static IResourceSource<T> CustomResources<T>(IKubernetes client, string? @namespace = null, string? labelSelector = null)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{typeof(T).Name} has no [KubernetesEntity] attribute");
        return new KubernetesResourceSource<T>(
            $"{entity.PluralName}.{entity.Group}",
            async (continueToken, limit, ct) =>
            {
                var body = @namespace is null
                    ? await client.CustomObjects.ListClusterCustomObjectAsync(
                        entity.Group, entity.ApiVersion, entity.PluralName, continueParameter: continueToken,
                        labelSelector: labelSelector, limit: limit, cancellationToken: ct).ConfigureAwait(false)
                    : await client.CustomObjects.ListNamespacedCustomObjectAsync(
                        entity.Group, entity.ApiVersion, @namespace, entity.PluralName, continueParameter: continueToken,
                        labelSelector: labelSelector, limit: limit, cancellationToken: ct).ConfigureAwait(false);
                var list = ConvertTo<CustomResourceList<T>>(body);
                return new ResourcePage<T>(
                    list.Items?.ToList() ?? [],
                    list.Metadata?.ResourceVersion ?? string.Empty,
                    string.IsNullOrEmpty(list.Metadata?.ContinueProperty) ? null : list.Metadata.ContinueProperty);
            },
            (resourceVersion, timeoutSeconds, onError, ct) => Typed<T>(@namespace is null
                ? client.CustomObjects.WatchListClusterCustomObjectAsync(
                    entity.Group, entity.ApiVersion, entity.PluralName, allowWatchBookmarks: true, labelSelector: labelSelector,
                    resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: ct)
                : client.CustomObjects.WatchListNamespacedCustomObjectAsync(
                    entity.Group, entity.ApiVersion, @namespace, entity.PluralName, allowWatchBookmarks: true,
                    labelSelector: labelSelector, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: ct), ct));
    }

    /// <summary>Pods in <paramref name="namespace"/> (or all), usually narrowed by a label selector.</summary>
    public static IResourceSource<V1Pod> Pods(IKubernetes client, string? @namespace = null, string? labelSelector = null) =>
        new KubernetesResourceSource<V1Pod>(
            "pods",
            async (continueToken, limit, ct) =>
            {
                var list = @namespace is null
                    ? await client.CoreV1.ListPodForAllNamespacesAsync(
                        continueParameter: continueToken, labelSelector: labelSelector, limit: limit, cancellationToken: ct).ConfigureAwait(false)
                    : await client.CoreV1.ListNamespacedPodAsync(
                        @namespace, continueParameter: continueToken, labelSelector: labelSelector, limit: limit, cancellationToken: ct).ConfigureAwait(false);
                return new ResourcePage<V1Pod>(
                    list.Items?.ToList() ?? [],
                    list.Metadata?.ResourceVersion ?? string.Empty,
                    string.IsNullOrEmpty(list.Metadata?.ContinueProperty) ? null : list.Metadata.ContinueProperty);
            },
            (resourceVersion, timeoutSeconds, onError, ct) => @namespace is null
                ? client.CoreV1.WatchListPodForAllNamespacesAsync(
                    allowWatchBookmarks: true, labelSelector: labelSelector, resourceVersion: resourceVersion,
                    timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: ct)
                : client.CoreV1.WatchListNamespacedPodAsync(
                    @namespace, allowWatchBookmarks: true, labelSelector: labelSelector, resourceVersion: resourceVersion,
                    timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: ct));

    /// <summary>Deployments in <paramref name="namespace"/> (or all), usually narrowed by a label selector.</summary>
    public static IResourceSource<V1Deployment> Deployments(IKubernetes client, string? @namespace = null, string? labelSelector = null) =>
        new KubernetesResourceSource<V1Deployment>(
            "deployments.apps",
            async (continueToken, limit, ct) =>
            {
                var list = @namespace is null
                    ? await client.AppsV1.ListDeploymentForAllNamespacesAsync(
                        continueParameter: continueToken, labelSelector: labelSelector, limit: limit, cancellationToken: ct).ConfigureAwait(false)
                    : await client.AppsV1.ListNamespacedDeploymentAsync(
                        @namespace, continueParameter: continueToken, labelSelector: labelSelector, limit: limit, cancellationToken: ct).ConfigureAwait(false);
                return new ResourcePage<V1Deployment>(
                    list.Items?.ToList() ?? [],
                    list.Metadata?.ResourceVersion ?? string.Empty,
                    string.IsNullOrEmpty(list.Metadata?.ContinueProperty) ? null : list.Metadata.ContinueProperty);
            },
            (resourceVersion, timeoutSeconds, onError, ct) => @namespace is null
                ? client.AppsV1.WatchListDeploymentForAllNamespacesAsync(
                    allowWatchBookmarks: true, labelSelector: labelSelector, resourceVersion: resourceVersion,
                    timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: ct)
                : client.AppsV1.WatchListNamespacedDeploymentAsync(
                    @namespace, allowWatchBookmarks: true, labelSelector: labelSelector, resourceVersion: resourceVersion,
                    timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: ct));

    private static async IAsyncEnumerable<(WatchEventType, T)> Typed<T>(
        IAsyncEnumerable<(WatchEventType, object)> events, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (type, item) in events.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return (type, ConvertTo<T>(item));
        }
    }

    private static T ConvertTo<T>(object body) =>
        KubernetesJson.Deserialize<T>(body is JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(body));
}
