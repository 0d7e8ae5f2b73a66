using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Whetstone.LocalCluster.Discovery;
using Whetstone.LocalCluster.Resources;
using Whetstone.LocalCluster.Selectors;
using Whetstone.LocalCluster.Storage;
using Whetstone.LocalCluster.Tables;
using Whetstone.LocalCluster.Watching;

namespace Whetstone.LocalCluster.Api;

/// <summary>Routes every Kubernetes REST request: discovery, OpenAPI, and the verbs on resources.</summary>
internal sealed partial class ApiRequestHandler(ObjectService service, PodLogReader logs, WatchStreamer watches, ApiRequestCounter requests, SecurityServices security)
{
    private const string TableMediaMarker = "as=Table";
    private static readonly JsonObject VersionInfo = new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.0-whetstone",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "go1.23.0",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    private ResourceRegistry Registry => service.Registry;

    /// <summary>Answers one request; exceptions become Status answers in <see cref="ApiErrorBoundary"/>.</summary>
    public Task HandleAsync(HttpContext context) => DispatchAsync(context);

    private async Task DispatchAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (await TryHandleReviewAsync(context, segments))
        {
            return;
        }
        switch (segments)
        {
            case ["version"]:
                await WriteJsonAsync(context, 200, VersionInfo);
                return;
            case ["healthz" or "readyz" or "livez", ..]:
                await HealthEndpoints.WriteAsync(context, segments, service.Store);
                return;
            case ["api"]:
                await WriteDiscoveryAsync(context, legacy: true);
                return;
            case ["whetstone", "v1", "prometheus", "pods"]:
                await WriteJsonAsync(context, 200, Monitoring.PodScrapeTargets.Build(
                    service.Store.List(BuiltInResources.Pods.StorageKey, null, null, _ => true, int.MaxValue).Items.Select(pod => pod.Object)));
                return;
            case ["apis"]:
                await WriteDiscoveryAsync(context, legacy: false);
                return;
            case ["api", var version]:
                await WriteResourceListAsync(context, "", version);
                return;
            case ["apis", var group]:
                await WriteGroupAsync(context, group);
                return;
            case ["apis", var group, var version]:
                await WriteResourceListAsync(context, group, version);
                return;
            case ["openapi", "v2"]:
                await WriteJsonAsync(context, 200, OpenApiDocuments.Version2(Registry.All));
                return;
            case ["openapi", "v3"]:
                await WriteJsonAsync(context, 200, OpenApiDocuments.Version3Root(Registry.All));
                return;
            case ["openapi", "v3", "api", var version]:
                await WriteOpenApiGroupVersionAsync(context, "", version);
                return;
            case ["openapi", "v3", "apis", var group, var version]:
                await WriteOpenApiGroupVersionAsync(context, group, version);
                return;
            case ["api", var version, .. var rest]:
                await HandleResourceAsync(context, "", version, rest);
                return;
            case ["apis", var group, var version, .. var rest]:
                await HandleResourceAsync(context, group, version, rest);
                return;
            default:
                await WriteJsonAsync(context, 404, StatusObjects.Failure(404, "NotFound", "the server could not find the requested resource"));
                return;
        }
    }

    private async Task HandleResourceAsync(HttpContext context, string group, string version, string[] rest)
    {
        var request = ResourceRequest.Parse(Registry, group, version, rest)
            ?? throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        var method = context.Request.Method;
        var type = request.Type;
        var ns = request.Namespace ?? "";
        if (type.Namespaced && request.Name is not null && request.Namespace is null)
        {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }
        if (request.Subresource is { } sub && sub != "status" && !(type == BuiltInResources.Pods && sub is "log" or "binding")
            && !(type == BuiltInResources.Namespaces && sub == "finalize") && !(type == BuiltInResources.Deployments && sub == "scale")
            && !(type == BuiltInResources.ServiceAccounts && sub == "token"))
        {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }
        var query = context.Request.Query;
        requests.Count(KindOf(context, request, method, query));
        if (request.Name is null)
        {
            switch (method)
            {
                case "GET" when request.WatchPath || IsTrue(query["watch"]):
                    await watches.StreamAsync(context, type, request.Namespace, ListQuery.From(query), WantsTable(context), context.RequestAborted);
                    return;
                case "GET":
                    await WriteListAsync(context, type, request.Namespace, ListQuery.From(query));
                    return;
                case "POST":
                    {
                        var body = await ReadObjectAsync(context);
                        var result = service.Create(type, ns, body, WriteOptionsFrom(context));
                        await WriteResultAsync(context, type, result);
                        return;
                    }
                case "DELETE":
                    await DeleteCollectionAsync(context, type, request.Namespace);
                    return;
                default:
                    throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource");
            }
        }
        var name = request.Name;
        if (request.WatchPath)
        {
            var single = ListQuery.From(query) with { FieldSelector = FieldSelector.Parse($"metadata.name={name}") };
            await watches.StreamAsync(context, type, request.Namespace, single, WantsTable(context), context.RequestAborted);
            return;
        }
        if (request.Subresource == "token")
        {
            await HandleTokenRequestAsync(context, ns, name);
            return;
        }
        if (request.Subresource == "log")
        {
            await logs.StreamAsync(context, service.Store, ns, name, context.RequestAborted);
            return;
        }
        if (request.Subresource == "binding" && method == "POST")
        {
            var binding = await ReadObjectAsync(context, checkKind: false);
            var node = binding["target"]?["name"]?.GetValue<string>() ?? throw ApiException.BadRequest("binding target name is required");
            service.Bind(ns, name, binding["metadata"]?["uid"]?.GetValue<string>(), node, WriteOptionsFrom(context));
            await WriteJsonAsync(context, 201, StatusObjects.Success());
            return;
        }
        if (request.Subresource == "scale")
        {
            await HandleScaleAsync(context, type, ns, name, method);
            return;
        }
        var subresource = request.Subresource == "finalize" ? null : request.Subresource;
        switch (method)
        {
            case "GET":
                {
                    var found = service.Store.Get(type.StorageKey, ns, name) ?? throw ApiException.NotFound(type, name);
                    if (WantsTable(context))
                    {
                        await WriteTableAsync(context, type, [found], found.ResourceVersion, null, query["includeObject"].ToString());
                        return;
                    }
                    await WriteStoredAsync(context, 200, type, found);
                    return;
                }
            case "PUT":
                {
                    var body = await ReadObjectAsync(context);
                    await WriteResultAsync(context, type, service.Update(type, ns, name, subresource, body, WriteOptionsFrom(context)));
                    return;
                }
            case "PATCH":
                {
                    var text = await ReadTextAsync(context);
                    var contentType = context.Request.ContentType ?? "";
                    await WriteResultAsync(context, type, service.Patch(type, ns, name, subresource, contentType, text, WriteOptionsFrom(context)));
                    return;
                }
            case "DELETE":
                {
                    var result = service.Delete(type, ns, name, await DeleteRequestFromAsync(context));
                    await WriteResultAsync(context, type, result);
                    return;
                }
            default:
                throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
    }

    private async Task HandleScaleAsync(HttpContext context, ResourceType type, string ns, string name, string method)
    {
        var scale = method switch
        {
            "GET" => ScaleSubresource.Read(service, type, ns, name),
            "PUT" => ScaleSubresource.Write(service, type, ns, name, await ReadObjectAsync(context), WriteOptionsFrom(context)),
            "PATCH" => ScaleSubresource.Write(service, type, ns, name,
                ScaleSubresource.ApplyPatch(ScaleSubresource.Read(service, type, ns, name), context.Request.ContentType ?? "", await ReadTextAsync(context)),
                WriteOptionsFrom(context)),
            _ => throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource"),
        };
        await WriteJsonAsync(context, 200, scale);
    }

    private async Task WriteListAsync(HttpContext context, ResourceType type, string? ns, ListQuery query)
    {
        var page = service.Store.List(type.StorageKey, ns, query.ContinueAfterKey, o => query.Matches(o), query.Limit);
        var continueToken = page.ContinueAfterKey is null ? null : ContinueToken.Encode(page.ResourceVersion, page.ContinueAfterKey);
        if (WantsTable(context))
        {
            await WriteTableAsync(context, type, page.Items, page.ResourceVersion, continueToken, context.Request.Query["includeObject"].ToString());
            return;
        }
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("kind", type.ListKind);
        writer.WriteString("apiVersion", type.ApiVersion);
        writer.WriteStartObject("metadata");
        writer.WriteString("resourceVersion", page.ResourceVersion.ToString(CultureInfo.InvariantCulture));
        if (continueToken is not null)
        {
            writer.WriteString("continue", continueToken);
        }
        writer.WriteEndObject();
        writer.WriteStartArray("items");
        var count = 0;
        foreach (var item in page.Items)
        {
            writer.WriteRawValue(JsonFor(type, item), skipInputValidation: true);
            if (++count % 256 == 0)
            {
                await writer.FlushAsync(context.RequestAborted);
            }
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private async Task DeleteCollectionAsync(HttpContext context, ResourceType type, string? ns)
    {
        var query = ListQuery.From(context.Request.Query);
        var request = await DeleteRequestFromAsync(context);
        var deleted = new JsonArray();
        foreach (var item in service.Store.List(type.StorageKey, ns, null, o => query.Matches(o), int.MaxValue).Items)
        {
            try
            {
                deleted.Add(service.Delete(type, item.Namespace, item.Name, request).Object.DeepClone());
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Collected as a dependent of an earlier item.
            }
        }
        await WriteJsonAsync(context, 200, new JsonObject
        {
            ["kind"] = type.ListKind,
            ["apiVersion"] = type.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = service.Store.CurrentResourceVersion.ToString(CultureInfo.InvariantCulture) },
            ["items"] = deleted,
        });
    }

    private static async Task WriteTableAsync(HttpContext context, ResourceType type, IReadOnlyList<StoredObject> items, long resourceVersion,
        string? continueToken, string includeObject)
    {
        var rows = new JsonArray();
        foreach (var item in items)
        {
            rows.Add(TableConverter.Row(type, item.Object, includeObject));
        }
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
        }
        await WriteJsonAsync(context, 200, new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = TableConverter.ColumnDefinitions(type),
            ["rows"] = rows,
        });
    }
}
