using System.CommandLine;

namespace Whetstone.Cli;

/// <summary>The subcommands of <c>whetstone</c>; each lives in its own folder and is listed here once.</summary>
internal static class CliCommands
{
    public static IEnumerable<Command> All()
    {
        yield return VersionCommand.Create();
        yield return Crds.CrdsCommand.Create();
        yield return Up.UpCommand.Create();
        yield return Get.GetCommand.Create();
        yield return Logs.LogsCommand.Create();
        foreach (var action in Actions.ActionCommands.All())
        {
            yield return action;
        }

        yield return Report.ReportCommand.Create();
    }
}
