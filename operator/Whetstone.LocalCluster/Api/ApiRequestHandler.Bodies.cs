using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Whetstone.LocalCluster.Resources;
using Whetstone.LocalCluster.Storage;

namespace Whetstone.LocalCluster.Api;

/// <summary>Reading request bodies and options, writing results as JSON or Tables.</summary>
internal sealed partial class ApiRequestHandler
{
    internal static bool WantsTable(HttpContext context)
    {
        var accept = context.Request.Headers.Accept.ToString();
        return accept.Contains(TableMediaMarker, StringComparison.Ordinal) && accept.Contains("g=meta.k8s.io", StringComparison.Ordinal);
    }

    private static async Task WriteResultAsync(HttpContext context, ResourceType type, WriteResult result)
    {
        foreach (var warning in result.Warnings)
        {
            context.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }
        var obj = result.Object;
        if (result.Json is not null && obj["apiVersion"]?.GetValue<string>() == type.ApiVersion)
        {
            context.Response.StatusCode = result.StatusCode;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(result.Json, context.RequestAborted);
            return;
        }
        if (obj["apiVersion"]?.GetValue<string>() != type.ApiVersion)
        {
            obj = (JsonObject)obj.DeepClone();
            obj["apiVersion"] = type.ApiVersion;
        }
        await WriteJsonAsync(context, result.StatusCode, obj);
    }

    private static async Task WriteStoredAsync(HttpContext context, int code, ResourceType type, StoredObject stored)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonFor(type, stored), context.RequestAborted);
    }

    /// <summary>The stored JSON, relabelled when a custom resource is read through another served version.</summary>
    internal static string JsonFor(ResourceType type, StoredObject stored)
    {
        if (stored.Object["apiVersion"]?.GetValue<string>() == type.ApiVersion)
        {
            return stored.Json;
        }
        var copy = (JsonObject)stored.Object.DeepClone();
        copy["apiVersion"] = type.ApiVersion;
        return copy.ToJsonString();
    }

    internal static async Task WriteJsonAsync(HttpContext context, int code, JsonNode body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private static async Task<string> ReadTextAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(context.RequestAborted);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context, bool checkKind = true)
    {
        _ = checkKind;
        var contentType = context.Request.ContentType ?? "application/json";
        if (contentType.StartsWith("application/vnd.kubernetes.protobuf", StringComparison.Ordinal))
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            return ProtobufBodyDecoder.Decode(buffer.ToArray());
        }
        if (!contentType.Contains("json", StringComparison.Ordinal) && !contentType.Contains("yaml", StringComparison.Ordinal))
        {
            throw new ApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (got {contentType})");
        }
        var text = await ReadTextAsync(context);
        var node = contentType.Contains("yaml", StringComparison.Ordinal) ? Patching.YamlJson.Parse(text) : RequestJson.Parse(text);
        return node as JsonObject ?? throw ApiException.BadRequest("the request body must be an object");
    }

    private static ApiRequestKind KindOf(HttpContext context, ResourceRequest request, string method, IQueryCollection query)
    {
        var agent = context.Request.Headers.UserAgent.ToString() is { Length: > 0 } a ? a.Split('/')[0] : "unknown";
        var verb = method switch
        {
            "GET" when request.WatchPath || IsTrue(query["watch"]) => "watch",
            "GET" => request.Name is null ? "list" : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => request.Name is null ? "deletecollection" : "delete",
            _ => method.ToLowerInvariant(),
        };
        var resource = request.Subresource is { } sub ? $"{request.Type.QualifiedResource}/{sub}" : request.Type.QualifiedResource;
        return new ApiRequestKind(agent, verb, resource);
    }

    private static WriteOptions WriteOptionsFrom(HttpContext context)
    {
        var query = context.Request.Query;
        var manager = query["fieldManager"].ToString();
        if (manager.Length == 0)
        {
            var agent = context.Request.Headers.UserAgent.ToString();
            manager = agent.Length == 0 ? "unknown" : agent.Split('/')[0];
        }
        var validation = query["fieldValidation"].ToString() switch
        {
            "Strict" => FieldValidation.Strict,
            "Ignore" => FieldValidation.Ignore,
            "Warn" or "" => FieldValidation.Warn,
            var other => throw ApiException.BadRequest($"fieldValidation must be one of Ignore, Warn, Strict (got {other})"),
        };
        return new WriteOptions(query["dryRun"].ToString() == "All", manager, validation, IsTrue(query["force"]));
    }

    private static async Task<DeleteRequest> DeleteRequestFromAsync(HttpContext context)
    {
        var query = context.Request.Query;
        string? policy = query["propagationPolicy"].ToString() is { Length: > 0 } p ? p : null;
        string? uid = null;
        string? rv = null;
        var dryRun = query["dryRun"].ToString() == "All";
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            var text = await ReadTextAsync(context);
            if (text.Trim().Length > 0 && RequestJson.Parse(text) is JsonObject options)
            {
                RequireDeleteOptionTypes(options);
                policy ??= options["propagationPolicy"]?.GetValue<string>();
                if (options["orphanDependents"]?.GetValue<bool>() == true)
                {
                    policy ??= "Orphan";
                }
                uid = options["preconditions"]?["uid"]?.GetValue<string>();
                rv = options["preconditions"]?["resourceVersion"]?.GetValue<string>();
                dryRun |= options["dryRun"] is JsonArray d && d.Any(x => x?.GetValue<string>() == "All");
            }
        }
        return new DeleteRequest(dryRun, policy, uid, rv);
    }

    /// <summary>DeleteOptions fields of the wrong JSON type are a 400 naming the field (they were a 500).</summary>
    private static void RequireDeleteOptionTypes(JsonObject options)
    {
        foreach (var (field, expected) in new[]
                 {
                     ("propagationPolicy", System.Text.Json.JsonValueKind.String), ("orphanDependents", System.Text.Json.JsonValueKind.True),
                     ("preconditions", System.Text.Json.JsonValueKind.Object), ("dryRun", System.Text.Json.JsonValueKind.Array),
                     ("gracePeriodSeconds", System.Text.Json.JsonValueKind.Number),
                 })
        {
            if (options[field] is { } value && value.GetValueKind() != expected && !(expected == System.Text.Json.JsonValueKind.True && value.GetValueKind() == System.Text.Json.JsonValueKind.False))
            {
                throw ApiException.BadRequest($"DeleteOptions: json: cannot unmarshal {value.GetValueKind().ToString().ToLowerInvariant()} into Go struct field DeleteOptions.{field}");
            }
        }
        foreach (var field in new[] { "uid", "resourceVersion" })
        {
            if (options["preconditions"]?[field] is { } value && value.GetValueKind() != System.Text.Json.JsonValueKind.String)
            {
                throw ApiException.BadRequest($"DeleteOptions: json: cannot unmarshal {value.GetValueKind().ToString().ToLowerInvariant()} into Go struct field Preconditions.preconditions.{field} of type string");
            }
        }
        if (options["dryRun"] is JsonArray dryRun && dryRun.Any(d => d?.GetValueKind() != System.Text.Json.JsonValueKind.String))
        {
            throw ApiException.BadRequest("DeleteOptions: json: cannot unmarshal a non-string into Go struct field DeleteOptions.dryRun of type string");
        }
    }

    internal static bool IsTrue(Microsoft.Extensions.Primitives.StringValues value) => value.ToString() is "true" or "1" or "True";
}
