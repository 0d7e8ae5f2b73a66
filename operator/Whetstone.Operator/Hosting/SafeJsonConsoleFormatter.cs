using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Whetstone.Operator.Hosting;

/// <summary>
/// The JSON console format: the same object per line as Microsoft's JSON console formatter (Timestamp, EventId,
/// LogLevel, Category, Message, Exception, State, Scopes), except that a non-finite number (NaN, ±Infinity, which
/// a failed Prometheus look logs) is written as a string. Microsoft's formatter throws on those, and the exception
/// reaches the code that logged, so a controller's reconcile failed on its own log line.
/// </summary>
public sealed class SafeJsonConsoleFormatter : ConsoleFormatter, IDisposable
{
    /// <summary>The formatter's name.</summary>
    public const string FormatterName = "whetstone-json";

    private readonly IDisposable? _reload;
    private JsonConsoleFormatterOptions _options;

    /// <summary>Creates the formatter with the JSON console options (timestamp format, UTC, scopes, writer options).</summary>
    /// <param name="options">The options, followed when they change.</param>
    public SafeJsonConsoleFormatter(IOptionsMonitor<JsonConsoleFormatterOptions> options)
        : base(FormatterName)
    {
        _options = options.CurrentValue;
        _reload = options.OnChange(changed => _options = changed);
    }

    /// <inheritdoc />
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (logEntry.Exception is null && message is null)
        {
            return;
        }

        var options = _options;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, options.JsonWriterOptions))
        {
            writer.WriteStartObject();
            if (options.TimestampFormat is { } format)
            {
                var now = options.UseUtcTimestamp ? DateTimeOffset.UtcNow : DateTimeOffset.Now;
                writer.WriteString("Timestamp", now.ToString(format, CultureInfo.InvariantCulture));
            }

            writer.WriteNumber("EventId", logEntry.EventId.Id);
            writer.WriteString("LogLevel", logEntry.LogLevel.ToString());
            writer.WriteString("Category", logEntry.Category);
            writer.WriteString("Message", message);
            if (logEntry.Exception is not null)
            {
                writer.WriteString("Exception", logEntry.Exception.ToString());
            }

            if (logEntry.State is IReadOnlyCollection<KeyValuePair<string, object?>> state)
            {
                writer.WriteStartObject("State");
                writer.WriteString("Message", logEntry.State.ToString());
                foreach (var (key, value) in state)
                {
                    WriteValue(writer, key, value);
                }

                writer.WriteEndObject();
            }

            if (options.IncludeScopes && scopeProvider is not null)
            {
                writer.WriteStartArray("Scopes");
                scopeProvider.ForEachScope((scope, json) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        json.WriteStartObject();
                        json.WriteString("Message", scope.ToString());
                        foreach (var (key, value) in pairs)
                        {
                            WriteValue(json, key, value);
                        }

                        json.WriteEndObject();
                    }
                    else
                    {
                        json.WriteStringValue(Convert.ToString(scope, CultureInfo.InvariantCulture));
                    }
                }, writer);
                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        textWriter.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        textWriter.Write(Environment.NewLine);
    }

    /// <inheritdoc />
    public void Dispose() => _reload?.Dispose();

    private static void WriteValue(Utf8JsonWriter writer, string key, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNull(key);
                break;
            case bool flag:
                writer.WriteBoolean(key, flag);
                break;
            case double number when double.IsFinite(number):
                writer.WriteNumber(key, number);
                break;
            case float number when float.IsFinite(number):
                writer.WriteNumber(key, number);
                break;
            case int or long or short or byte or sbyte or uint or ulong or ushort or decimal:
                writer.WritePropertyName(key);
                writer.WriteRawValue(Convert.ToString(value, CultureInfo.InvariantCulture)!);
                break;
            default:
                // Strings, non-finite numbers (NaN, ±Infinity) and everything else as text.
                writer.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
