using System.Diagnostics;

namespace Whetstone.Chart.Tests.Tools;

/// <summary>Runs a command-line tool (go, the chart renderer, lua5.1, promtool, dotnet) with a time limit.</summary>
internal static class ToolProcess
{
    /// <summary>The exit code, standard output and standard error of one run.</summary>
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        /// <summary>Output and error together, for assertion messages.</summary>
        public string All => Output + Error;
    }

    public static async Task<Result> RunAsync(
        string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null, IDictionary<string, string>? environment = null, string? stdin = null)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryRoot.Path,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} ran longer than {timeout}");
        }

        return new Result(process.ExitCode, await output, await error);
    }
}
