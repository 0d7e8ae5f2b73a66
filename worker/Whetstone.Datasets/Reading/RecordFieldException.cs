namespace Whetstone.Datasets.Reading;

/// <summary>A field of one record is missing or wrong; the reader adds file and line.</summary>
internal sealed class RecordFieldException(string field, string problem)
    : Exception($"field \"{field}\": {problem}")
{
    public string Field { get; } = field;
}
