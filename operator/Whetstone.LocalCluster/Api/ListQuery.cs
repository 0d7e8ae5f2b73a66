using System.Globalization;
using Microsoft.AspNetCore.Http;
using Whetstone.LocalCluster.Selectors;
using Whetstone.LocalCluster.Storage;

namespace Whetstone.LocalCluster.Api;

/// <summary>The query parameters of list and watch requests.</summary>
internal sealed record ListQuery(
    LabelSelector LabelSelector,
    FieldSelector FieldSelector,
    int Limit,
    string? ContinueAfterKey,
    string? ResourceVersion,
    bool AllowBookmarks,
    TimeSpan? Timeout)
{
    public static ListQuery From(IQueryCollection query)
    {
        var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) && l > 0 ? l : int.MaxValue;
        string? after = null;
        if (query["continue"].ToString() is { Length: > 0 } token)
        {
            after = ContinueToken.Decode(token);
        }
        TimeSpan? timeout = int.TryParse(query["timeoutSeconds"], CultureInfo.InvariantCulture, out var t) && t > 0 ? TimeSpan.FromSeconds(t) : null;
        return new ListQuery(
            LabelSelector.Parse(query["labelSelector"]),
            FieldSelector.Parse(query["fieldSelector"]),
            limit,
            after,
            query["resourceVersion"].ToString() is { Length: > 0 } rv ? rv : null,
            ApiRequestHandler.IsTrue(query["allowWatchBookmarks"]),
            timeout);
    }

    public bool Matches(StoredObject stored) =>
        (LabelSelector.IsEmpty || LabelSelector.Matches(stored.Object["metadata"]?["labels"] as System.Text.Json.Nodes.JsonObject))
        && (FieldSelector.IsEmpty || FieldSelector.Matches(stored.Object));
}
