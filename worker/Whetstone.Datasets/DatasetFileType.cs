namespace Whetstone.Datasets;

/// <summary>How records are stored in a source file.</summary>
public enum DatasetFileType
{
    /// <summary>One JSON object per line (UTF-8, optional BOM, LF or CRLF).</summary>
    Jsonl,

    /// <summary>RFC 4180 CSV with a header row naming the columns.</summary>
    Csv,
}
