using Microsoft.AspNetCore.Http;
using Whetstone.LocalCluster.Discovery;

namespace Whetstone.LocalCluster.Api;

/// <summary>Discovery and OpenAPI documents.</summary>
internal sealed partial class ApiRequestHandler
{
    private async Task WriteDiscoveryAsync(HttpContext context, bool legacy)
    {
        if (AcceptsAggregatedDiscovery(context))
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
            await context.Response.WriteAsync(DiscoveryDocuments.Aggregated(Registry.All, legacy).ToJsonString(), context.RequestAborted);
            return;
        }
        await WriteJsonAsync(context, 200, legacy ? DiscoveryDocuments.ApiVersions() : DiscoveryDocuments.GroupList(Registry.All));
    }

    private async Task WriteGroupAsync(HttpContext context, string group)
    {
        var document = DiscoveryDocuments.Group(Registry.All, group)
            ?? throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        await WriteJsonAsync(context, 200, document);
    }

    private async Task WriteResourceListAsync(HttpContext context, string group, string version)
    {
        if (!Registry.IsGroupVersionServed(group, version))
        {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }
        await WriteJsonAsync(context, 200, DiscoveryDocuments.ResourceList(Registry.All, group, version));
    }

    private async Task WriteOpenApiGroupVersionAsync(HttpContext context, string group, string version)
    {
        if (!Registry.IsGroupVersionServed(group, version))
        {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }
        await WriteJsonAsync(context, 200, OpenApiDocuments.Version3GroupVersion(Registry.All, group, version));
    }

    private static bool AcceptsAggregatedDiscovery(HttpContext context) =>
        context.Request.Headers.Accept.ToString().Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal)
        && context.Request.Headers.Accept.ToString().Contains("v=v2", StringComparison.Ordinal);
}
