using System.CommandLine;

namespace Whetstone.Cli.Crds;

/// <summary><c>whetstone crds [--output crds] [--check]</c>: writes (or checks) the generated CRD YAML.</summary>
internal static class CrdsCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--output", "-o")
        {
            Description = "Folder the CRD files are written to",
            DefaultValueFactory = _ => new DirectoryInfo("crds"),
        };
        var check = new Option<bool>("--check")
        {
            Description = "Write nothing; exit 1 when the files in the folder differ from what the API types generate",
        };
        var command = new Command("crds", "Generate the CustomResourceDefinitions from the API types") { output, check };
        command.SetAction(parse => Run(parse.GetValue(output)!, parse.GetValue(check), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(DirectoryInfo output, bool check, TextWriter stdout, TextWriter stderr)
    {
        IReadOnlyList<GeneratedCrd> crds;
        try
        {
            crds = CrdGenerator.GenerateAll();
        }
        catch (InvalidOperationException e)
        {
            // The API types break a generator rule (a field without docs, a default of the wrong type): say which.
            stderr.WriteLine($"whetstone crds: {e.Message}");
            return 1;
        }

        if (check)
        {
            var drift = CrdDrift.Find(output.FullName, crds);
            foreach (var line in drift)
            {
                stderr.WriteLine(line);
            }

            return drift.Count == 0 ? 0 : 1;
        }

        output.Create();
        foreach (var crd in crds)
        {
            var path = Path.Combine(output.FullName, crd.FileName);
            File.WriteAllText(path, crd.Yaml);
            stdout.WriteLine($"wrote {Path.GetRelativePath(Environment.CurrentDirectory, path)}");
        }

        return 0;
    }
}
