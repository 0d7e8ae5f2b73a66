using System.CommandLine;
using Whetstone.Worker;

var root = new RootCommand("whetstone-worker: runs Whetstone's ML work (fine-tune, compress, evaluate, serve) and tools");
foreach (var command in WorkerCommands.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
