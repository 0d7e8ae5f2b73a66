namespace Whetstone.Cli.Crds;

/// <summary>Compares committed CRD files with freshly generated ones.</summary>
internal static class CrdDrift
{
    /// <summary>The fix, named in every drift message.</summary>
    public const string Fix = "run `dotnet run --project operator/Whetstone.Cli -- crds` and commit crds/";

    /// <summary>One line per file that is missing, different or left over; empty when the folder matches.</summary>
    public static IReadOnlyList<string> Find(string folder, IReadOnlyList<GeneratedCrd> crds)
    {
        var problems = new List<string>();
        foreach (var crd in crds)
        {
            var path = Path.Combine(folder, crd.FileName);
            if (!File.Exists(path))
            {
                problems.Add($"{path} is missing: {Fix}");
            }
            else if (File.ReadAllText(path) != crd.Yaml)
            {
                problems.Add($"{path} differs from the API types ({FirstDifference(File.ReadAllText(path), crd.Yaml)}): {Fix}");
            }
        }

        var expected = crds.Select(c => c.FileName).ToHashSet(StringComparer.Ordinal);
        if (Directory.Exists(folder))
        {
            foreach (var file in Directory.GetFiles(folder, "*.yaml").Where(f => !expected.Contains(Path.GetFileName(f))))
            {
                problems.Add($"{file} is not generated from any API type: delete it, or {Fix}");
            }
        }

        return problems;
    }

    private static string FirstDifference(string committed, string generated)
    {
        var a = committed.Split('\n');
        var b = generated.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var left = i < a.Length ? a[i] : "<end of file>";
            var right = i < b.Length ? b[i] : "<end of file>";
            if (left != right)
            {
                return $"line {i + 1}: committed `{left.Trim()}`, generated `{right.Trim()}`";
            }
        }

        return "line endings";
    }
}
