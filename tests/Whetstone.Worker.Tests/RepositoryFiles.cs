namespace Whetstone.Worker.Tests;

/// <summary>The repository checkout the tests run from: the first folder holding Operator.sln above the test binaries.</summary>
internal static class RepositoryFiles
{
    /// <summary>The repository's root folder.</summary>
    public static string Root { get; } = Find();

    /// <summary><paramref name="relative"/> under the repository's root.</summary>
    public static string Combine(string relative) => Path.Combine(Root, relative);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Operator.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("repository root (Operator.sln) not found above " + AppContext.BaseDirectory);
    }
}
