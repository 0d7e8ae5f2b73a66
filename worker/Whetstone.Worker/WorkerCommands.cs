using System.CommandLine;

namespace Whetstone.Worker;

/// <summary>The subcommands of <c>whetstone-worker</c>; each lives in its own folder and is listed here once.</summary>
internal static class WorkerCommands
{
    public static IEnumerable<Command> All()
    {
        yield return Models.ModelCommand.Create();
        yield return Artifacts.ArtifactsCommand.Create();
        yield return FineTuning.FineTuneCommand.Create();
        yield return Compression.CompressCommand.Create();
        yield return Serving.ServeCommand.Create();
        yield return Evaluation.EvaluateCommand.Create();
    }
}
