namespace Whetstone.Worker.Jobs;

/// <summary>The help texts of a worker job subcommand that are the kind's own.</summary>
/// <param name="Description">What the subcommand does.</param>
/// <param name="StatusFileSchedule">When the status file is written, for <c>--status-file</c> ("on every change").</param>
/// <param name="WorkDirectoryContents">What the work folder holds, for <c>--work-dir</c>.</param>
internal sealed record WorkerJobHelp(string Description, string StatusFileSchedule, string WorkDirectoryContents);
