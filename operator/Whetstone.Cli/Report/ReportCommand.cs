using System.CommandLine;
using Whetstone.Cli.Kube;

namespace Whetstone.Cli.Report;

/// <summary><c>whetstone report &lt;kind&gt;/&lt;name&gt;</c>: the before/after summary a person reads, from the object's status.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var reference = new Argument<string>("object") { Description = "<kind>/<name>, for example ftj/support-lora or evr/support-eval" };
        var cluster = new ClusterOptions();
        var command = new Command("report", "Print the before/after summary of a job or rollout from its status") { reference };
        cluster.AddTo(command);
        command.SetAction((parse, ct) => CliAction.RunAsync(parse, async () =>
        {
            var (kind, name) = WhetstoneKind.ParseReference(parse.GetValue(reference)!, "object");
            using var connection = cluster.Connect(parse);
            var item = await connection.GetAsync(kind, name, ct);
            var output = parse.InvocationConfiguration.Output;
            foreach (var line in StatusReport.Lines(kind, item))
            {
                await output.WriteLineAsync(line);
            }

            return 0;
        }));
        return command;
    }
}
