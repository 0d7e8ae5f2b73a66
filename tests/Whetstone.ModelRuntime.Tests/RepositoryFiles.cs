namespace Whetstone.ModelRuntime.Tests;

/// <summary>Files of the repository the tests read: the shipped tiny model and the PyTorch reference script.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string TinyModel => Path.Combine(Root, "examples", "models", "tiny-llama");

    public static string LlamaReferenceScript => Path.Combine(Root, "tests", "Whetstone.ML.Tests", "python", "llama_reference.py");

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
