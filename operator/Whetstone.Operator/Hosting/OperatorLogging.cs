using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Whetstone.Operator.Hosting;

/// <summary>
/// The operator's console log: <c>simple</c> (one line per entry, full UTC timestamps, scopes after <c>=&gt;</c>) or
/// <c>json</c> (Microsoft's JSON console layout: one object per line with UTC timestamp, level, category, message,
/// state and scopes). Both show the <see cref="Runtime.Controllers.ReconcileScope"/> of the object being reconciled.
/// Chosen with <c>--log-format</c> or the configuration key <see cref="FormatKey"/>
/// (<c>Whetstone__Operator__LogFormat</c> in the environment).
/// </summary>
public static class OperatorLogging
{
    /// <summary>The configuration key of the format.</summary>
    public const string FormatKey = "Whetstone:Operator:LogFormat";

    /// <summary>The command-line switch mapped to <see cref="FormatKey"/>.</summary>
    public const string FormatSwitch = "--log-format";

    /// <summary>One line per entry, full UTC timestamps (the default).</summary>
    public const string Simple = "simple";

    /// <summary>The same as <see cref="Simple"/>: the name the Helm chart's <c>logFormat</c> value uses.</summary>
    public const string Text = "text";

    /// <summary>One JSON object per line.</summary>
    public const string Json = "json";

    /// <summary>The timestamp both formats write: ISO 8601 in UTC, to the millisecond.</summary>
    public const string TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";

    /// <summary>Adds the console logger in <paramref name="format"/> (null or empty: <see cref="Simple"/>).</summary>
    /// <exception cref="InvalidOperationException">The format is none of <c>simple</c>, <c>text</c>, <c>json</c>; the message names the setting.</exception>
    public static ILoggingBuilder AddConsole(ILoggingBuilder builder, string? format)
    {
        switch (string.IsNullOrEmpty(format) ? Simple : format.ToLowerInvariant())
        {
            case Simple or Text:
                return builder.AddSimpleConsole(console =>
                {
                    console.SingleLine = true;
                    console.TimestampFormat = TimestampFormat + " ";
                    console.UseUtcTimestamp = true;
                    // The reconcile scope (`=> FineTuneJob default/support-lora`) on every line a reconcile writes.
                    console.IncludeScopes = true;
                });
            case Json:
                // Microsoft's JSON layout, written by a formatter that does not throw on NaN (see SafeJsonConsoleFormatter).
                builder.AddConsoleFormatter<SafeJsonConsoleFormatter, JsonConsoleFormatterOptions>(console =>
                {
                    console.TimestampFormat = TimestampFormat;
                    console.UseUtcTimestamp = true;
                    console.IncludeScopes = true;
                    console.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
                });
                return builder.AddConsole(console => console.FormatterName = SafeJsonConsoleFormatter.FormatterName);
            default:
                throw new InvalidOperationException($"{FormatSwitch} ({FormatKey}): '{format}' is not one of {Simple} (or {Text}), {Json}");
        }
    }
}
