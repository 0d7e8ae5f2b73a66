using Whetstone.Cli.Kube;

namespace Whetstone.Cli.Get;

/// <summary>Lays out <see cref="ObjectSummary"/> rows as a kubectl-style table, optionally with a progress bar column.</summary>
internal static class ProgressTable
{
    private const int BarWidth = 20;

    /// <summary>The header line, then one line per object; empty when there are no objects.</summary>
    public static IReadOnlyList<string> Format(IReadOnlyList<ObjectSummary> summaries, DateTimeOffset now, bool bars)
    {
        if (summaries.Count == 0)
        {
            return [];
        }

        string[] header = bars ? ["NAME", "PHASE", "PROGRESS", "", "REASON", "AGE"] : ["NAME", "PHASE", "PROGRESS", "REASON", "AGE"];
        var rows = new List<string[]> { header };
        rows.AddRange(summaries.Select(s => bars
            ? new[] { $"{s.Kind.ShortName}/{s.Name}", s.Phase, Bar(s.Fraction), s.Progress, s.Reason, s.Age(now) }
            : [$"{s.Kind.ShortName}/{s.Name}", s.Phase, s.Progress, s.Reason, s.Age(now)]));
        var widths = Enumerable.Range(0, header.Length).Select(column => rows.Max(row => row[column].Length)).ToArray();
        return rows
            .Select(row => string.Join("   ", row.Select((cell, column) => column == row.Length - 1 ? cell : cell.PadRight(widths[column]))).TrimEnd())
            .ToList();
    }

    /// <summary>A 20-cell bar, <c>[#####---------------]</c>; dots when the progress is unknown.</summary>
    public static string Bar(double? fraction)
    {
        if (fraction is not { } f)
        {
            return "[" + new string('.', BarWidth) + "]";
        }

        var filled = (int)Math.Round(Math.Clamp(f, 0, 1) * BarWidth);
        return "[" + new string('#', filled) + new string('-', BarWidth - filled) + "]";
    }
}
