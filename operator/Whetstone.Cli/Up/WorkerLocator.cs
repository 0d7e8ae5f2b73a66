namespace Whetstone.Cli.Up;

/// <summary>
/// Finds the <c>whetstone-worker</c> executable that stands in for the worker image, however <c>up</c> was started:
/// next to this executable (a publish), on PATH, or in the repository's build output (<c>dotnet run</c>, a Debug or
/// Release build), the most recently built first.
/// </summary>
internal static class WorkerLocator
{
    /// <summary>The executable's name.</summary>
    public const string Executable = "whetstone-worker";

    /// <summary>The worker's path, or null when none is built.</summary>
    public static string? Find()
    {
        var beside = new[] { AppContext.BaseDirectory }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            .Select(directory => Path.Combine(directory, Executable))
            .FirstOrDefault(File.Exists);
        return beside ?? InRepository(AppContext.BaseDirectory) ?? InRepository(Environment.CurrentDirectory);
    }

    private static string? InRepository(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Operator.sln")))
            {
                var bin = Path.Combine(directory.FullName, "worker", "Whetstone.Worker", "bin");
                return Directory.Exists(bin)
                    ? Directory.EnumerateFiles(bin, Executable, SearchOption.AllDirectories)
                        .OrderByDescending(File.GetLastWriteTimeUtc)
                        .FirstOrDefault()
                    : null;
            }
        }

        return null;
    }
}
