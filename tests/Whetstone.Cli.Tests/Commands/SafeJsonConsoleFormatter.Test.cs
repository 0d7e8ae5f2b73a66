using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Whetstone.Operator.Hosting;

namespace Whetstone.Cli.Tests.Commands;

/// <summary>The operator's <c>--log-format json</c> formatter: Microsoft's layout, full UTC timestamps, and no exception on NaN.</summary>
public sealed class SafeJsonConsoleFormatterTest
{
    [Fact]
    public void A_NaN_value_is_written_as_a_string_and_the_line_keeps_Microsofts_layout()
    {
        using var formatter = new SafeJsonConsoleFormatter(new FixedOptions(new JsonConsoleFormatterOptions
        {
            TimestampFormat = OperatorLogging.TimestampFormat,
            UseUtcTimestamp = true,
            IncludeScopes = true,
        }));
        var scopes = new LoggerExternalScopeProvider();
        using var scope = scopes.Push(new Dictionary<string, object?> { ["Namespace"] = "default", ["Name"] = "support-bot" });
        var state = new Dictionary<string, object?> { ["Metric"] = "error-rate", ["Value"] = double.NaN, ["Count"] = 3 }.ToList();
        using var output = new StringWriter();

        formatter.Write(new LogEntry<IReadOnlyList<KeyValuePair<string, object?>>>(
            LogLevel.Information, "Whetstone.Operator.Rollouts.ModelRolloutController", new EventId(7), state, null, (_, _) => "error-rate value NaN"),
            scopes, output);

        var line = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", line.GetProperty("Timestamp").GetString());
        Assert.Equal("Information", line.GetProperty("LogLevel").GetString());
        Assert.Equal("error-rate value NaN", line.GetProperty("Message").GetString());
        Assert.Equal("NaN", line.GetProperty("State").GetProperty("Value").GetString());
        Assert.Equal(3, line.GetProperty("State").GetProperty("Count").GetInt32());
        Assert.Equal("support-bot", line.GetProperty("Scopes")[0].GetProperty("Name").GetString());
    }

    private sealed class FixedOptions(JsonConsoleFormatterOptions value) : IOptionsMonitor<JsonConsoleFormatterOptions>
    {
        public JsonConsoleFormatterOptions CurrentValue => value;

        public JsonConsoleFormatterOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<JsonConsoleFormatterOptions, string?> listener) => null;
    }
}
