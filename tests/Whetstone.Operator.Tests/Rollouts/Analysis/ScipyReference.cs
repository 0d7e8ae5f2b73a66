using System.Diagnostics;
using System.Text.Json.Nodes;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.Rollouts.Analysis;

/// <summary>Runs a reference script of this folder with Debian's python3 (which has SciPy): JSON in, JSON out.</summary>
internal static class ScipyReference
{
    public static JsonNode Run(string scriptName, JsonNode input)
    {
        var script = Path.Combine(RepositoryPaths.Root, "tests", "Whetstone.Operator.Tests", "Rollouts", "Analysis", scriptName);
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        process.StandardInput.Write(input.ToJsonString());
        process.StandardInput.Close();
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{scriptName} did not finish within 60 s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{scriptName} failed ({process.ExitCode}): {errors.Result}");
        }

        return JsonNode.Parse(output)!;
    }
}
