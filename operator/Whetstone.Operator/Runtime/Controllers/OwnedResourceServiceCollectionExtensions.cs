using System.Net;
using System.Reflection;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Whetstone.Operator.Configuration;
using Whetstone.Operator.Runtime.Informers;

namespace Whetstone.Operator.Runtime.Controllers;

/// <summary>Registration of owned children, in the shape of controller-runtime's <c>Owns()</c>.</summary>
public static class OwnedResourceServiceCollectionExtensions
{
    /// <summary>
    /// Declares that the controller of <typeparamref name="TEntity"/> creates Pods: it gets the shared Pod cache
    /// (pods carrying <paramref name="labelSelector"/>) and is woken when one of its pods changes.
    /// </summary>
    public static IServiceCollection OwnsPods<TEntity>(this IServiceCollection services, string labelSelector)
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        services.TryAddSingleton(sp =>
        {
            var client = sp.GetRequiredService<IKubernetes>();
            var options = sp.GetRequiredService<IOptions<OperatorOptions>>().Value;
            var informer = new Informer<V1Pod>(
                ResourceSources.Pods(client, string.IsNullOrEmpty(options.WatchNamespace) ? null : options.WatchNamespace, labelSelector),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("Whetstone.Operator.Informer.Pod"));
            return new OwnedResourceCache<V1Pod>(informer, async (ns, name, ct) =>
            {
                try
                {
                    return await client.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: ct).ConfigureAwait(false);
                }
                catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
                {
                    return null;
                }
            });
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOwnedResourceCache, OwnedResourceCache<V1Pod>>(sp => sp.GetRequiredService<OwnedResourceCache<V1Pod>>()));
        var kind = typeof(TEntity).GetCustomAttribute<KubernetesEntityAttribute>()?.Kind ?? typeof(TEntity).Name;
        services.AddSingleton(new OwnedKind(typeof(TEntity), kind, typeof(V1Pod)));
        return services;
    }

    /// <summary>
    /// Declares that the controller of <typeparamref name="TEntity"/> creates Deployments: it gets the shared
    /// Deployment cache (Deployments carrying <paramref name="labelSelector"/>) and is woken when one of its
    /// Deployments changes (for example when its pods become ready).
    /// </summary>
    public static IServiceCollection OwnsDeployments<TEntity>(this IServiceCollection services, string labelSelector)
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        services.TryAddSingleton(sp =>
        {
            var client = sp.GetRequiredService<IKubernetes>();
            var options = sp.GetRequiredService<IOptions<OperatorOptions>>().Value;
            var informer = new Informer<V1Deployment>(
                ResourceSources.Deployments(client, string.IsNullOrEmpty(options.WatchNamespace) ? null : options.WatchNamespace, labelSelector),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("Whetstone.Operator.Informer.Deployment"));
            return new OwnedResourceCache<V1Deployment>(informer, async (ns, name, ct) =>
            {
                try
                {
                    return await client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: ct).ConfigureAwait(false);
                }
                catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
                {
                    return null;
                }
            });
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOwnedResourceCache, OwnedResourceCache<V1Deployment>>(sp => sp.GetRequiredService<OwnedResourceCache<V1Deployment>>()));
        var kind = typeof(TEntity).GetCustomAttribute<KubernetesEntityAttribute>()?.Kind ?? typeof(TEntity).Name;
        services.AddSingleton(new OwnedKind(typeof(TEntity), kind, typeof(V1Deployment)));
        return services;
    }
}
