using System.CommandLine;
using Whetstone.Cli;

var root = new RootCommand("whetstone: the Whetstone operator's command line (embedded cluster, CRDs, tools)");
foreach (var command in CliCommands.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
