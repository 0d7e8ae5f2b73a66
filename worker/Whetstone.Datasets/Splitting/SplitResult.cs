using Whetstone.Datasets.Records;

namespace Whetstone.Datasets.Splitting;

/// <summary>The three splits, each in shuffled order.</summary>
/// <param name="Train">Training records.</param>
/// <param name="Validation">Validation records.</param>
/// <param name="Test">Held-out test records.</param>
public sealed record SplitResult(IReadOnlyList<DatasetRecord> Train, IReadOnlyList<DatasetRecord> Validation, IReadOnlyList<DatasetRecord> Test);
