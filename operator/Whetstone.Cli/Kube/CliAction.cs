using System.CommandLine;
using k8s.Autorest;

namespace Whetstone.Cli.Kube;

/// <summary>Runs a cluster command and turns its failures into a one-line message on stderr and an exit code.</summary>
internal static class CliAction
{
    /// <summary>Runs <paramref name="action"/>: usage errors exit 2, failures and API errors exit 1.</summary>
    public static async Task<int> RunAsync(ParseResult parse, Func<Task<int>> action)
    {
        var error = parse.InvocationConfiguration.Error;
        var name = $"whetstone {parse.CommandResult.Command.Name}";
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (CliUsageException usage)
        {
            await error.WriteLineAsync($"{name}: {usage.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (CliFailureException failure)
        {
            await error.WriteLineAsync($"{name}: {failure.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (HttpOperationException api)
        {
            await error.WriteLineAsync($"{name}: the API server answered {(int)api.Response.StatusCode}: {api.Response.Content}").ConfigureAwait(false);
            return 1;
        }
        catch (HttpRequestException connection)
        {
            await error.WriteLineAsync($"{name}: cannot reach the API server: {connection.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
