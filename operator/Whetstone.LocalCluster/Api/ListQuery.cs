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
        var limit = Integer(query, "limit") is > 0 and var l ? (int)l : int.MaxValue;
        string? after = null;
        if (query["continue"].ToString() is { Length: > 0 } token)
        {
            after = ContinueToken.Decode(token);
        }
        TimeSpan? timeout = Integer(query, "timeoutSeconds") is > 0 and var t ? TimeSpan.FromSeconds(t) : null;
        return new ListQuery(
            LabelSelector.Parse(query["labelSelector"]),
            FieldSelector.Parse(query["fieldSelector"]),
            limit,
            after,
            query["resourceVersion"].ToString() is { Length: > 0 } rv ? rv : null,
            ApiRequestHandler.IsTrue(query["allowWatchBookmarks"]),
            timeout);
    }

    /// <summary>An integer parameter, null when absent; one that is not an integer is a 400, as in kube-apiserver.</summary>
    private static long? Integer(IQueryCollection query, string name)
    {
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return null;
        }
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value <= int.MaxValue
            ? value
            : throw ApiException.BadRequest($"{name}: Invalid value: \"{text}\": must be an integer");
    }

    public bool Matches(StoredObject stored) =>
        (LabelSelector.IsEmpty || LabelSelector.Matches(stored.Object["metadata"]?["labels"] as System.Text.Json.Nodes.JsonObject))
        && (FieldSelector.IsEmpty || FieldSelector.Matches(stored.Object));
}
