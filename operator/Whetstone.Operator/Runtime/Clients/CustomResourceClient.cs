using System.Net;
using System.Reflection;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Whetstone.Operator.Runtime.Clients;

/// <summary><see cref="IEntityClient{T}"/> for a custom resource, through KubernetesClient's custom objects API.</summary>
public sealed class CustomResourceClient<T>(IKubernetes client) : IEntityClient<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    private static readonly KubernetesEntityAttribute Entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
        ?? throw new InvalidOperationException($"{typeof(T).Name} has no [KubernetesEntity] attribute");

    /// <inheritdoc />
    public async Task<T?> GetAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        try
        {
            var body = await client.CustomObjects.GetNamespacedCustomObjectAsync(
                Entity.Group, Entity.ApiVersion, @namespace, Entity.PluralName, name, cancellationToken).ConfigureAwait(false);
            return ConvertTo(body);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return default;
        }
    }

    /// <inheritdoc />
    public async Task<T> ReplaceFinalizersAsync(T entity, IList<string> finalizers, CancellationToken cancellationToken)
    {
        var patch = new
        {
            metadata = new { resourceVersion = entity.Metadata.ResourceVersion, finalizers },
        };
        var body = await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(KubernetesJson.Serialize(patch), V1Patch.PatchType.MergePatch),
            Entity.Group, Entity.ApiVersion, entity.Metadata.NamespaceProperty, Entity.PluralName, entity.Metadata.Name,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return ConvertTo(body);
    }

    /// <inheritdoc />
    public async Task<T> ReplaceStatusAsync(T entity, CancellationToken cancellationToken)
    {
        var body = await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(
            entity, Entity.Group, Entity.ApiVersion, entity.Metadata.NamespaceProperty, Entity.PluralName, entity.Metadata.Name,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return ConvertTo(body);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(T entity, CancellationToken cancellationToken)
    {
        try
        {
            await client.CustomObjects.DeleteNamespacedCustomObjectAsync(
                Entity.Group, Entity.ApiVersion, entity.Metadata.NamespaceProperty, Entity.PluralName, entity.Metadata.Name,
                propagationPolicy: "Background", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone: the goal is reached.
        }
    }

    private static T ConvertTo(object body) =>
        KubernetesJson.Deserialize<T>(body is JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(body));
}
