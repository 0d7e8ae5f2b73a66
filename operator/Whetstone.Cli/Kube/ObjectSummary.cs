using System.Globalization;
using System.Text.Json.Nodes;
using Whetstone.Api;

namespace Whetstone.Cli.Kube;

/// <summary>What <c>whetstone get</c> shows of one object: phase, progress, reason, age, message.</summary>
/// <param name="Kind">The object's kind.</param>
/// <param name="Name">metadata.name.</param>
/// <param name="Phase">status.phase, or <c>Pending</c> before the operator has written one.</param>
/// <param name="Progress">Progress in words (<c>120/400</c>, <c>2/4 steps</c>, <c>step 1/3 20%</c>) or <c>-</c>.</param>
/// <param name="Fraction">Progress as 0..1 for the bar; null when unknown.</param>
/// <param name="Reason">The reason of the Ready condition (the operator's latest reason), or <c>-</c>.</param>
/// <param name="Created">metadata.creationTimestamp.</param>
/// <param name="Message">status.message, or empty.</param>
internal sealed record ObjectSummary(
    WhetstoneKind Kind, string Name, string Phase, string Progress, double? Fraction, string Reason, DateTimeOffset? Created, string Message)
{
    /// <summary>Whether the object has reached a phase it leaves only by a retry or an edit.</summary>
    public bool IsTerminal => Kind.IsWorkerJob
        ? Phase is JobPhases.Succeeded or JobPhases.Failed
        : Phase is RolloutPhases.Promoted or RolloutPhases.RolledBack or RolloutPhases.Failed;

    /// <summary>Summarizes a Whetstone object read as JSON.</summary>
    public static ObjectSummary From(WhetstoneKind kind, JsonObject item)
    {
        var status = item["status"] as JsonObject;
        var spec = item["spec"] as JsonObject;
        var phase = Text(status?["phase"]) ?? JobPhases.Pending;
        var (progress, fraction) = kind.Kind switch
        {
            Kinds.FineTuneJob => TrainingProgress(status?["progress"] as JsonObject, phase),
            Kinds.CompressionJob => Counted(
                (status?["steps"] as JsonArray)?.Count(s => Text(s?["phase"]) == StepPhases.Succeeded),
                (spec?["steps"] as JsonArray)?.Count, "steps", phase),
            Kinds.EvaluationRun => Counted((status?["scores"] as JsonArray)?.Count, (spec?["suites"] as JsonArray)?.Count, "suites", phase),
            _ => RolloutProgress(status, spec),
        };
        var conditions = (status?["conditions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var reason = conditions.FirstOrDefault(c => Text(c["type"]) == ConditionTypes.Ready) is { } ready
            ? Text(ready["reason"])
            : conditions.Select(c => Text(c["reason"])).FirstOrDefault(r => r is not null);
        var created = DateTimeOffset.TryParse(Text(item["metadata"]?["creationTimestamp"]), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null;
        return new ObjectSummary(kind, Text(item["metadata"]?["name"]) ?? "", phase, progress, fraction, reason ?? "-", created,
            Text(status?["message"]) ?? "");
    }

    /// <summary>Age as kubectl prints it: <c>45s</c>, <c>3m20s</c>, <c>25m</c>, <c>5h10m</c>, <c>3d</c>.</summary>
    public string Age(DateTimeOffset now)
    {
        if (Created is not { } created)
        {
            return "-";
        }

        return Whetstone.LocalCluster.Tables.KubectlAge.Format(now - created);
    }

    internal static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node is JsonValue other ? other.ToJsonString() : null;

    internal static double? Number(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<double>(out var number) ? number : null;

    private static (string, double?) TrainingProgress(JsonObject? progress, string phase)
    {
        var step = Number(progress?["step"]);
        var total = Number(progress?["totalSteps"]);
        if (step is { } s && total is > 0)
        {
            return ($"{s:0}/{total:0}", Math.Clamp(s / total.Value, 0, 1));
        }

        if (Number(progress?["percent"]) is { } percent)
        {
            return ($"{percent:0}%", Math.Clamp(percent / 100, 0, 1));
        }

        return phase == JobPhases.Succeeded ? ("done", 1) : ("-", null);
    }

    private static (string, double?) Counted(int? done, int? total, string what, string phase)
    {
        if (total is > 0)
        {
            var finished = phase == JobPhases.Succeeded ? total.Value : Math.Min(done ?? 0, total.Value);
            return ($"{finished}/{total} {what}", (double)finished / total.Value);
        }

        return ("-", null);
    }

    private static (string, double?) RolloutProgress(JsonObject? status, JsonObject? spec)
    {
        var steps = (spec?["strategy"]?["steps"] as JsonArray)?.Count;
        var weight = Number(status?["canaryWeight"]) ?? 0;
        var phase = Text(status?["phase"]);
        if (phase == RolloutPhases.Promoted)
        {
            return ("100%", 1);
        }

        if (Number(status?["currentStep"]) is { } current && steps is > 0)
        {
            return ($"step {Math.Min(current, steps.Value):0}/{steps} {weight:0}%", Math.Clamp(weight / 100, 0, 1));
        }

        return ($"{weight:0}%", Math.Clamp(weight / 100, 0, 1));
    }
}
