using System.Diagnostics;

namespace Whetstone.Cli.Tests;

/// <summary>Runs the built <c>whetstone</c> CLI and the real kubectl as child processes, as a person would.</summary>
internal static class CliProcess
{
    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(120);

    /// <summary>The built CLI, from the same configuration as this test assembly.</summary>
    public static string CliPath
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var cli = RepositoryRoot.Combine("operator", "Whetstone.Cli", "bin", configuration, "net10.0", "whetstone.dll");
            Assert.True(File.Exists(cli), $"the CLI is not built at {cli}");
            return cli;
        }
    }

    /// <summary>Runs <c>whetstone ARGS</c> to its end and returns exit code, standard output and standard error.</summary>
    public static Task<(int ExitCode, string Output, string Error)> Whetstone(params string[] arguments) =>
        RunAsync("dotnet", [CliPath, .. arguments], null);

    /// <summary>Runs kubectl against <paramref name="kubeconfig"/> and returns its output; a non-zero exit fails the test.</summary>
    public static async Task<string> Kubectl(string kubeconfig, params string[] arguments) =>
        await KubectlWithInput(kubeconfig, null, arguments);

    /// <summary>Runs kubectl with <paramref name="input"/> on standard input (for <c>apply -f -</c>).</summary>
    public static async Task<string> KubectlWithInput(string kubeconfig, string? input, params string[] arguments)
    {
        var (exitCode, output, error) = await RunAsync("kubectl", ["--kubeconfig", kubeconfig, .. arguments], input);
        Assert.True(exitCode == 0, $"kubectl {string.Join(' ', arguments)} exited {exitCode}: {error}");
        return output + error;
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string fileName, IReadOnlyList<string> arguments, string? input)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        using var timeout = new CancellationTokenSource(CommandLimit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not end within {CommandLimit.TotalSeconds:0} s");
        }

        return (process.ExitCode, await output, await error);
    }
}
