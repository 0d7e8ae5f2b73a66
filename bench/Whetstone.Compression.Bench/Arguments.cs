namespace Whetstone.Compression.Bench;

/// <summary><c>--name value</c> pairs and the repository root.</summary>
internal static class Arguments
{
    /// <summary>The pairs; anything that is not one is refused naming it.</summary>
    public static Dictionary<string, string> Parse(IReadOnlyList<string> args)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"expected --name value pairs, got '{args[i]}'");
            }
            result[args[i][2..]] = args[i + 1];
        }
        return result;
    }

    /// <summary>The folder holding Operator.sln above the program, else the current folder.</summary>
    public static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Operator.sln")))
            {
                return directory.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }
}
