namespace Whetstone.ML.Classifiers;

/// <summary>Row indices of a seeded, stratified train / validation / test split.</summary>
/// <param name="Train">Rows the model learns from.</param>
/// <param name="Validation">Rows that decide early stopping.</param>
/// <param name="Test">Rows held out until the end, for the reported accuracy.</param>
public sealed record DatasetSplit(IReadOnlyList<int> Train, IReadOnlyList<int> Validation, IReadOnlyList<int> Test)
{
    /// <summary>
    /// Shuffles each class's rows with <paramref name="seed"/> and deals round(n × fraction) of them to validation
    /// and test (at least one each when the class has three or more rows), the rest to training; so every
    /// part keeps the class proportions of the whole.
    /// </summary>
    public static DatasetSplit Stratified(IReadOnlyList<int> classes, double validationFraction, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (validationFraction <= 0 || testFraction <= 0 || validationFraction + testFraction >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), "validation and test fractions must be positive and sum to less than 1");
        }
        var random = new Random(seed);
        var train = new List<int>();
        var validation = new List<int>();
        var test = new List<int>();
        foreach (var group in Enumerable.Range(0, classes.Count).GroupBy(i => classes[i]).OrderBy(g => g.Key))
        {
            var rows = group.ToArray();
            random.Shuffle(rows);
            var minimum = rows.Length >= 3 ? 1 : 0;
            var testCount = Math.Max(minimum, (int)Math.Round(rows.Length * testFraction));
            var validationCount = Math.Max(minimum, (int)Math.Round(rows.Length * validationFraction));
            test.AddRange(rows.Take(testCount));
            validation.AddRange(rows.Skip(testCount).Take(validationCount));
            train.AddRange(rows.Skip(testCount + validationCount));
        }
        return new DatasetSplit(train, validation, test);
    }
}
