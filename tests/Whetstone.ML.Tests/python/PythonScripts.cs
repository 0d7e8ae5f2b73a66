using System.Diagnostics;

namespace Whetstone.ML.Tests.Python;

/// <summary>Runs the reference scripts in this folder with Debian's python3 (which has torch).</summary>
internal static class PythonScripts
{
    private const string Interpreter = "/usr/bin/python3";

    public static string Locate(string scriptName)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "Whetstone.ML.Tests", "python", scriptName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"python script {scriptName} not found above {AppContext.BaseDirectory}");
    }

    public static void Run(string scriptName, params string[] arguments)
    {
        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Locate(scriptName));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{scriptName} did not finish within 3 minutes");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{scriptName} failed ({process.ExitCode}): {errors.Result}{output.Result}");
        }
    }
}
