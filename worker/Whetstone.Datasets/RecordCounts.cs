namespace Whetstone.Datasets;

/// <summary>Record counts (api.md <c>status.dataset.records</c>).</summary>
/// <param name="Input">Records read from the source.</param>
/// <param name="Train">Records in the training split.</param>
/// <param name="Validation">Records in the validation split.</param>
/// <param name="Test">Records in the test split.</param>
public sealed record RecordCounts(int Input, int Train, int Validation, int Test);
