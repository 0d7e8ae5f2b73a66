using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Whetstone.Evaluation.Tests;

/// <summary>Runs a script in Debian's Python (numpy, scipy, scikit-learn from apt), JSON in on stdin, JSON out on stdout.</summary>
internal static class DebianPython
{
    public static JsonNode Run(string script, JsonNode input)
    {
        var start = new ProcessStartInfo("/usr/bin/python3", ["-c", script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        process.StandardInput.Write(input.ToJsonString());
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"python failed: {error}");
        return JsonNode.Parse(output)!;
    }
}
