using System.Diagnostics;

namespace Whetstone.Operator.Tests.EndToEnd;

/// <summary>Runs the real kubectl binary against a kubeconfig.</summary>
public sealed class Kubectl(string kubeconfig)
{
    public async Task<(int ExitCode, string Output)> RunAsync(string arguments, string? stdin = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("kubectl", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
        };
        start.Environment["KUBECONFIG"] = kubeconfig;
        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await output + await error);
    }

    public async Task<string> RunOkAsync(string arguments, string? stdin = null, TimeSpan? timeout = null)
    {
        var (code, output) = await RunAsync(arguments, stdin, timeout);
        Assert.True(code == 0, $"kubectl {arguments} failed ({code}): {output}");
        return output;
    }
}
