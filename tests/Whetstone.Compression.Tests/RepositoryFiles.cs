namespace Whetstone.Compression.Tests;

/// <summary>Files of the repository the tests read: the shipped tiny model and datasets.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string TinyModel => Path.Combine(Root, "examples", "models", "tiny-llama");

    public static string MultipleChoice => Path.Combine(Root, "examples", "datasets", "support-multiple-choice.jsonl");

    public static string Chat => Path.Combine(Root, "examples", "datasets", "support-chat.jsonl");

    public static string Digits => Path.Combine(Root, "examples", "datasets", "digits", "digits.csv");

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
