using System.CommandLine;
using Whetstone.Cli.Kube;

namespace Whetstone.Cli.Get;

/// <summary>
/// <c>whetstone get [kind] [name] [-n ns] [-w]</c>: the Whetstone objects with phase, progress, reason and age;
/// <c>-w</c> keeps one live line per object with a progress bar until every object is terminal or Ctrl-C.
/// </summary>
internal static class GetCommand
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var kind = new Argument<string?>("kind")
        {
            Description = $"ftj, cpj, evr or mro (or the kind or plural name); all four when omitted",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var name = new Argument<string?>("name") { Description = "Only this object", Arity = ArgumentArity.ZeroOrOne };
        var watch = new Option<bool>("--watch", "-w")
        {
            Description = "Keep a live progress line per object; ends when every object is Succeeded/Failed (jobs) or Promoted/RolledBack/Failed (rollouts), or on Ctrl-C",
        };
        var cluster = new ClusterOptions();
        var command = new Command("get", "List Whetstone objects with phase, progress, reason and age") { kind, name, watch };
        cluster.AddTo(command);
        command.SetAction((parse, ct) => CliAction.RunAsync(parse, async () =>
        {
            var kinds = parse.GetValue(kind) is { } given
                ? [WhetstoneKind.Find(given) ?? throw new CliUsageException($"kind: unknown kind '{given}' (use one of {WhetstoneKind.Accepted})")]
                : WhetstoneKind.All;
            var only = parse.GetValue(name);
            if (only is not null && kinds.Count > 1)
            {
                throw new CliUsageException("name: give the kind too (whetstone get ftj support-lora)");
            }

            using var connection = cluster.Connect(parse);
            var output = parse.InvocationConfiguration.Output;
            return parse.GetValue(watch)
                ? await WatchAsync(connection, kinds, only, output, ct)
                : await ListOnceAsync(connection, kinds, only, output, ct);
        }));
        return command;
    }

    private static async Task<int> ListOnceAsync(
        ClusterConnection connection, IReadOnlyList<WhetstoneKind> kinds, string? name, TextWriter output, CancellationToken ct)
    {
        var summaries = await ReadAsync(connection, kinds, name, ct);
        if (summaries.Count == 0)
        {
            if (name is not null)
            {
                throw new CliFailureException($"{kinds[0].ShortName}/{name} not found in namespace {connection.Namespace}");
            }

            await output.WriteLineAsync($"No Whetstone objects found in namespace {connection.Namespace}.");
            return 0;
        }

        foreach (var line in ProgressTable.Format(summaries, DateTimeOffset.UtcNow, bars: false))
        {
            await output.WriteLineAsync(line);
        }

        return 0;
    }

    private static async Task<int> WatchAsync(
        ClusterConnection connection, IReadOnlyList<WhetstoneKind> kinds, string? name, TextWriter output, CancellationToken ct)
    {
        var live = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var printed = new Dictionary<string, string>(StringComparer.Ordinal);
        var drawn = 0;
        while (!ct.IsCancellationRequested)
        {
            var summaries = await ReadAsync(connection, kinds, name, ct);
            var lines = ProgressTable.Format(summaries, DateTimeOffset.UtcNow, bars: true);
            if (live)
            {
                // Redraw the block in place: up to the header, clear each line, write it again.
                var frame = new System.Text.StringBuilder();
                if (drawn > 0)
                {
                    frame.Append($"\u001b[{drawn}A");
                }

                foreach (var line in lines.Count > 0 ? lines : [$"waiting for Whetstone objects in namespace {connection.Namespace}…"])
                {
                    frame.Append("\r\u001b[K").Append(line).Append('\n');
                }

                frame.Append("\u001b[J");
                await output.WriteAsync(frame.ToString());
                drawn = Math.Max(lines.Count, 1);
            }
            else
            {
                // Not a terminal: one line each time an object's state changes (the age column is left out of the comparison).
                if (printed.Count == 0 && lines.Count > 0)
                {
                    await output.WriteLineAsync(lines[0]);
                }

                foreach (var (summary, line) in summaries.Zip(lines.Skip(1)))
                {
                    var key = $"{summary.Kind.ShortName}/{summary.Name}";
                    var state = $"{summary.Phase}|{summary.Progress}|{summary.Reason}";
                    if (!printed.TryGetValue(key, out var last) || last != state)
                    {
                        printed[key] = state;
                        await output.WriteLineAsync(line);
                    }
                }
            }

            await output.FlushAsync(ct);
            if (summaries.Count > 0 && summaries.All(s => s.IsTerminal))
            {
                return 0;
            }

            try
            {
                await Task.Delay(RefreshInterval, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return 0;
    }

    private static async Task<IReadOnlyList<ObjectSummary>> ReadAsync(
        ClusterConnection connection, IReadOnlyList<WhetstoneKind> kinds, string? name, CancellationToken ct)
    {
        var summaries = new List<ObjectSummary>();
        foreach (var kind in kinds)
        {
            var (items, _) = await connection.ListAsync(kind, ct);
            summaries.AddRange(items
                .Select(item => ObjectSummary.From(kind, item))
                .Where(summary => name is null || summary.Name == name)
                .OrderBy(summary => summary.Name, StringComparer.Ordinal));
        }

        return summaries;
    }
}
