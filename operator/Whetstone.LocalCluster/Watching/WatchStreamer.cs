using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Whetstone.LocalCluster.Api;
using Whetstone.LocalCluster.Resources;
using Whetstone.LocalCluster.Storage;
using Whetstone.LocalCluster.Tables;

namespace Whetstone.LocalCluster.Watching;

/// <summary>
/// Serves ?watch=true as a chunked stream of JSON lines {"type", "object"}: ADDED / MODIFIED / DELETED,
/// BOOKMARK (when allowWatchBookmarks) and ERROR (410 Expired when the requested resourceVersion is older
/// than the event log). Without a resourceVersion (or "0") it starts with the current objects as ADDED.
/// </summary>
internal sealed class WatchStreamer(ObjectStore store, TimeSpan bookmarkInterval)
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);
    private long _linesEncoded;

    public async Task StreamAsync(HttpContext context, ResourceType type, string? ns, ListQuery query, bool asTable, CancellationToken ct)
    {
        long? from = query.ResourceVersion is null or "0" ? null
            : long.TryParse(query.ResourceVersion, CultureInfo.InvariantCulture, out var rv) ? rv
            : throw ApiException.BadRequest($"invalid resource version: {query.ResourceVersion}");
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-cache, private";
        IReadOnlyList<WatchEvent> backlog;
        WatchSubscription subscription;
        try
        {
            (backlog, subscription) = store.Subscribe(type.StorageKey, ns, from);
        }
        catch (ResourceVersionTooOldException e)
        {
            var status = StatusObjects.Failure(410, "Expired", e.Message);
            await WriteLineAsync(context, new JsonObject { ["type"] = "ERROR", ["object"] = status }.ToJsonString(), ct);
            return;
        }
        using (subscription)
        {
            var first = true;
            var lastSent = from ?? 0;
            foreach (var e in backlog)
            {
                if (Filter(e, query) is { } visible)
                {
                    await WriteEventAsync(context, type, visible, asTable, first, ct);
                    first = false;
                }
                lastSent = e.ResourceVersion;
            }
            await context.Response.Body.FlushAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(query.Timeout ?? DefaultTimeout);
            try
            {
                while (!timeout.IsCancellationRequested)
                {
                    var currentVersion = store.CurrentResourceVersion;
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
                    wait.CancelAfter(bookmarkInterval);
                    bool available;
                    try
                    {
                        available = await subscription.Reader.WaitToReadAsync(wait.Token);
                    }
                    catch (OperationCanceledException) when (!timeout.IsCancellationRequested)
                    {
                        if (query.AllowBookmarks && subscription.Reader.Count == 0 && currentVersion > lastSent)
                        {
                            await WriteLineAsync(context, Bookmark(type, currentVersion), timeout.Token);
                            lastSent = currentVersion;
                        }
                        continue;
                    }
                    if (!available)
                    {
                        return;
                    }
                    while (subscription.Reader.TryRead(out var e))
                    {
                        if (Filter(e, query) is { } visible)
                        {
                            await WriteEventAsync(context, type, visible, asTable, first, timeout.Token);
                            first = false;
                        }
                        lastSent = e.ResourceVersion;
                    }
                    await context.Response.Body.FlushAsync(timeout.Token);
                }
            }
            catch (OperationCanceledException)
            {
                // Timeout or client gone: the stream simply ends, as with kube-apiserver.
            }
        }
    }

    /// <summary>
    /// What a filtered watch sees: a modification that makes an object match is ADDED for it, one that makes
    /// it stop matching is DELETED, as kube-apiserver reports selector transitions.
    /// </summary>
    private static WatchEvent? Filter(WatchEvent e, ListQuery query)
    {
        var matches = query.Matches(e.Object);
        if (e.Type != "MODIFIED" || (query.LabelSelector.IsEmpty && query.FieldSelector.IsEmpty))
        {
            return matches ? e : null;
        }
        var matched = e.Previous is not null && query.Matches(e.Previous);
        return (matched, matches) switch
        {
            (true, true) => e,
            (false, true) => e with { Type = "ADDED" },
            (true, false) => e with { Type = "DELETED" },
            _ => null,
        };
    }

    private static string Bookmark(ResourceType type, long version) => new JsonObject
    {
        ["type"] = "BOOKMARK",
        ["object"] = new JsonObject
        {
            ["kind"] = type.Kind,
            ["apiVersion"] = type.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) },
        },
    }.ToJsonString();

    /// <summary>
    /// Writes one event. The line's bytes are encoded once per event and form (see <see cref="EncodedLines"/>) and
    /// shared by every watcher; only a Table watch's first line, which carries the column definitions, is its own.
    /// </summary>
    private ValueTask WriteEventAsync(HttpContext context, ResourceType type, WatchEvent e, bool asTable, bool first, CancellationToken ct)
    {
        byte[] line;
        if (asTable)
        {
            var includeObject = context.Request.Query["includeObject"].ToString();
            line = first
                ? EncodeTableLine(new TableLineRequest(type, e, includeObject, ColumnDefinitions: true))
                : e.Lines.GetOrAdd(new WatchLineForm(e.Type, type.ApiVersion, includeObject), new TableLineRequest(type, e, includeObject, false), EncodeTableLine);
        }
        else
        {
            line = e.Lines.GetOrAdd(new WatchLineForm(e.Type, type.ApiVersion, null), (Streamer: this, Type: type, Event: e),
                static state => state.Streamer.Encode(state.Event.Type, ApiRequestHandler.JsonFor(state.Type, state.Event.Object)));
        }
        return context.Response.Body.WriteAsync(line, ct);
    }

    /// <summary>Watch lines encoded since start: once per event and form, however many watchers receive it.</summary>
    public long LinesEncoded => Interlocked.Read(ref _linesEncoded);

    private byte[] EncodeTableLine(TableLineRequest request)
    {
        var (type, e, includeObject, columnDefinitions) = request;
        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = e.ResourceVersion.ToString(CultureInfo.InvariantCulture) },
        };
        if (columnDefinitions)
        {
            table["columnDefinitions"] = TableConverter.ColumnDefinitions(type);
        }
        table["rows"] = new JsonArray(TableConverter.Row(type, e.Object.Object, includeObject));
        return Encode(e.Type, table.ToJsonString());
    }

    private byte[] Encode(string eventType, string objectJson)
    {
        Interlocked.Increment(ref _linesEncoded);
        var line = new StringBuilder(objectJson.Length + 32).Append("{\"type\":\"").Append(eventType).Append("\",\"object\":").Append(objectJson).Append("}\n").ToString();
        return Encoding.UTF8.GetBytes(line);
    }

    private sealed record TableLineRequest(ResourceType Type, WatchEvent Event, string IncludeObject, bool ColumnDefinitions);

    private static async Task WriteLineAsync(HttpContext context, string line, CancellationToken ct, bool flush = true)
    {
        await context.Response.WriteAsync(line + "\n", ct);
        if (flush)
        {
            await context.Response.Body.FlushAsync(ct);
        }
    }
}
