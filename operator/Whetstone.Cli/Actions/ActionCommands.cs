using System.CommandLine;
using System.Text.Json.Nodes;
using Whetstone.Api;
using Whetstone.Cli.Kube;

namespace Whetstone.Cli.Actions;

/// <summary>
/// The by-hand actions: <c>promote</c> / <c>abort</c> (rollouts) and <c>retry</c> (rollouts and jobs) set the
/// <c>whetstone.dev/*</c> annotations the operator acts on; <c>suspend</c> / <c>resume</c> set
/// <c>spec.runPolicy.suspend</c> of a job.
/// </summary>
internal static class ActionCommands
{
    public static IEnumerable<Command> All()
    {
        var full = new Option<bool>("--full") { Description = "Skip the remaining steps and promote the canary fully (whetstone.dev/promote=full)" };
        yield return Annotate("promote", "End the current pause of a ModelRollout (whetstone.dev/promote=step; --full promotes at once)",
            rolloutsOnly: true, [full], parse => (WhetstoneAnnotations.Promote, parse.GetValue(full) ? WhetstoneAnnotations.PromoteFull : WhetstoneAnnotations.PromoteStep));
        yield return Annotate("abort", "Roll a ModelRollout's canary back now (whetstone.dev/abort=true)",
            rolloutsOnly: true, [], _ => (WhetstoneAnnotations.Abort, WhetstoneAnnotations.True));
        yield return Annotate("retry", "Retry a Failed job or a RolledBack ModelRollout from the start (whetstone.dev/retry=true)",
            rolloutsOnly: false, [], _ => (WhetstoneAnnotations.Retry, WhetstoneAnnotations.True));
        yield return Suspend("suspend", "Suspend a job: its worker pod is stopped and none is started (spec.runPolicy.suspend=true)", true);
        yield return Suspend("resume", "Resume a suspended job (spec.runPolicy.suspend=false)", false);
    }

    private static Command Annotate(
        string verb, string description, bool rolloutsOnly, IReadOnlyList<Option> extra, Func<ParseResult, (string Key, string Value)> annotation)
    {
        var reference = new Argument<string>("object")
        {
            Description = rolloutsOnly ? "The ModelRollout: <name> or mro/<name>" : "mro/<name>, ftj/<name>, cpj/<name> or evr/<name> (a bare name is a ModelRollout)",
        };
        var cluster = new ClusterOptions();
        var command = new Command(verb, description) { reference };
        foreach (var option in extra)
        {
            command.Options.Add(option);
        }

        cluster.AddTo(command);
        command.SetAction((parse, ct) => CliAction.RunAsync(parse, async () =>
        {
            var given = parse.GetValue(reference)!;
            var (kind, name) = given.Contains('/', StringComparison.Ordinal)
                ? WhetstoneKind.ParseReference(given, "object")
                : (WhetstoneKind.ModelRollout, given);
            if (rolloutsOnly && kind != WhetstoneKind.ModelRollout)
            {
                throw new CliUsageException($"object: {verb} applies to ModelRollouts only, not {kind.Kind}");
            }

            var (key, value) = annotation(parse);
            using var connection = cluster.Connect(parse);
            await connection.MergePatchAsync(kind, name, new JsonObject
            {
                ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [key] = value } },
            }, ct);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"{kind.ShortName}/{name} annotated {key}={value}");
            return 0;
        }));
        return command;
    }

    private static Command Suspend(string verb, string description, bool suspend)
    {
        var reference = new Argument<string>("job") { Description = "<kind>/<name> of a job, for example ftj/support-lora" };
        var cluster = new ClusterOptions();
        var command = new Command(verb, description) { reference };
        cluster.AddTo(command);
        command.SetAction((parse, ct) => CliAction.RunAsync(parse, async () =>
        {
            var (kind, name) = WhetstoneKind.ParseReference(parse.GetValue(reference)!, "job");
            if (!kind.IsWorkerJob)
            {
                throw new CliUsageException($"job: a {kind.Kind} has no spec.runPolicy.suspend; {verb} applies to FineTuneJobs, CompressionJobs and EvaluationRuns");
            }

            using var connection = cluster.Connect(parse);
            await connection.MergePatchAsync(kind, name, new JsonObject
            {
                ["spec"] = new JsonObject { ["runPolicy"] = new JsonObject { ["suspend"] = suspend } },
            }, ct);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"{kind.ShortName}/{name} {(suspend ? "suspended" : "resumed")} (spec.runPolicy.suspend={(suspend ? "true" : "false")})");
            return 0;
        }));
        return command;
    }
}
