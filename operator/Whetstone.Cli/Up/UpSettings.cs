namespace Whetstone.Cli.Up;

/// <summary>The command-line options of <c>whetstone up</c>.</summary>
internal sealed record UpSettings(string DataDirectory, int Port, int? GpuSlots, string? ConfigFile);
