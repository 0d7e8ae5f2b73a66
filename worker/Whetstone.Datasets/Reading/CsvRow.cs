namespace Whetstone.Datasets.Reading;

/// <summary>One CSV record and the 1-based line it starts on.</summary>
internal sealed record CsvRow(long LineNumber, IReadOnlyList<string> Fields);
