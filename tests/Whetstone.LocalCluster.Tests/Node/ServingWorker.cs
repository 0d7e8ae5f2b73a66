namespace Whetstone.LocalCluster.Tests.Node;

/// <summary>
/// The real built <c>whetstone-worker</c>, which the test node runs for image <c>whetstone-worker</c> (as
/// <c>whetstone up</c> does), and the shipped tiny model it serves.
/// </summary>
internal static class ServingWorker
{
    public const string Image = "whetstone-worker";

    public static string RepositoryRoot { get; } = FindRoot();

    public static string TinyModel => Path.Combine(RepositoryRoot, "examples", "models", "tiny-llama");

    /// <summary>The built executable, or null when the worker has not been built.</summary>
    public static string? Executable =>
        new[] { "Debug", "Release" }
            .Select(configuration => Path.Combine(RepositoryRoot, "worker", "Whetstone.Worker", "bin", configuration, "net10.0", "whetstone-worker"))
            .FirstOrDefault(File.Exists);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Operator.sln")))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException($"no Operator.sln above {AppContext.BaseDirectory}");
    }
}
