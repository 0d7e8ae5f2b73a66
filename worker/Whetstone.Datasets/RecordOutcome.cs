namespace Whetstone.Datasets;

/// <summary>What happened to one input record.</summary>
internal enum RecordOutcome
{
    Kept,
    Empty,
    Blocked,
    Duplicate,
    NearDuplicate,
}
