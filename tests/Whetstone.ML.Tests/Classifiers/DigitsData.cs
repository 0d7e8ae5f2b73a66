namespace Whetstone.ML.Tests.Classifiers;

/// <summary>The committed digits CSV and its export script.</summary>
internal static class DigitsData
{
    public static string Directory { get; } = Find();

    public static string Csv => Path.Combine(Directory, "digits.csv");

    public static string ExportScript => Path.Combine(Directory, "export_digits.py");

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "examples", "datasets", "digits");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException($"examples/datasets/digits not found above {AppContext.BaseDirectory}");
    }
}
