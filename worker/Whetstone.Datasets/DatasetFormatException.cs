namespace Whetstone.Datasets;

/// <summary>
/// A source file holds a record that does not fit its format. The message names the file and the 1-based line,
/// e.g. <c>support.jsonl:17: field "messages[2].role": unknown role "bot" (expected system, user, assistant)</c>,
/// and is meant to be shown to the user as it is.
/// </summary>
public sealed class DatasetFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="fileName"/> at <paramref name="lineNumber"/>.</summary>
    public DatasetFormatException(string fileName, long lineNumber, string reason, Exception? innerException = null)
        : base($"{fileName}:{lineNumber}: {reason}", innerException)
    {
        FileName = fileName;
        LineNumber = lineNumber;
        Reason = reason;
    }

    /// <summary>Creates the exception for the whole of <paramref name="fileName"/> (no line: <see cref="LineNumber"/> is 0).</summary>
    public DatasetFormatException(string fileName, string reason)
        : base($"{fileName}: {reason}")
    {
        FileName = fileName;
        Reason = reason;
    }

    /// <summary>The file name as given to the reader (usually without directories).</summary>
    public string FileName { get; }

    /// <summary>1-based line where the bad record starts; 0 when the problem is the file as a whole.</summary>
    public long LineNumber { get; }

    /// <summary>What is wrong, without the file and line prefix.</summary>
    public string Reason { get; }
}
