using System.Text.Json;

namespace Whetstone.Reliability.Tests.Results;

/// <summary>
/// Appends each test's <see cref="ReliabilityRow"/> as one JSON line to <c>TestResults/reliability/results.jsonl</c>
/// (or <c>$WHETSTONE_RELIABILITY_RESULTS</c>); <c>scripts/reliability-table.py</c> turns the file into the README table.
/// A test records its row before it asserts, so a failed fault still leaves its row (recovered: false).
/// </summary>
public static class ReliabilityResults
{
    private static readonly Lock Gate = new();
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The results file.</summary>
    public static string FilePath =>
        Environment.GetEnvironmentVariable("WHETSTONE_RELIABILITY_RESULTS") is { Length: > 0 } path
            ? path
            : RepositoryRoot.Combine("TestResults", "reliability", "results.jsonl");

    /// <summary>Appends <paramref name="row"/>, stamped with the time.</summary>
    public static void Record(ReliabilityRow row)
    {
        var line = JsonSerializer.Serialize(new { recordedAt = DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture), row }, Json);
        lock (Gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            File.AppendAllText(FilePath, line + "\n");
        }
    }
}
