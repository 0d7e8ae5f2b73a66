using System.Globalization;

namespace Whetstone.ML.Classifiers;

/// <summary>
/// Rows of numeric features with a class label each, read from a CSV file whose first line names the columns
/// and whose last column is the label (any text; classes are ordered numerically when every label is a number,
/// otherwise ordinally).
/// </summary>
/// <param name="FeatureNames">Names of the feature columns, in order.</param>
/// <param name="Labels">The distinct class names; a row's class is an index into this list.</param>
/// <param name="Features">One feature vector per row.</param>
/// <param name="Classes">One class index per row.</param>
public sealed record LabelledTable(
    IReadOnlyList<string> FeatureNames,
    IReadOnlyList<string> Labels,
    IReadOnlyList<float[]> Features,
    IReadOnlyList<int> Classes)
{
    /// <summary>Reads a CSV file: a header line, then numbers and a label in the last column.</summary>
    public static LabelledTable ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine() ?? throw new InvalidDataException($"{path}: empty file");
        var names = header.Split(',').Select(n => n.Trim()).ToArray();
        if (names.Length < 2)
        {
            throw new InvalidDataException($"{path}: the header names {names.Length} column; at least one feature and the label are needed");
        }
        var rows = new List<float[]>();
        var rawLabels = new List<string>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            var cells = line.Split(',');
            if (cells.Length != names.Length)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: {cells.Length} cells, the header has {names.Length}");
            }
            var features = new float[names.Length - 1];
            for (var i = 0; i < features.Length; i++)
            {
                if (!float.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out features[i]) || !float.IsFinite(features[i]))
                {
                    throw new InvalidDataException($"{path}:{lineNumber}: column {names[i]} holds '{cells[i]}', not a finite number");
                }
            }
            rows.Add(features);
            rawLabels.Add(cells[^1].Trim());
        }
        if (rows.Count == 0)
        {
            throw new InvalidDataException($"{path}: no rows");
        }
        var distinct = rawLabels.Distinct().ToList();
        var numeric = distinct.All(l => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        var labels = numeric
            ? distinct.OrderBy(l => double.Parse(l, CultureInfo.InvariantCulture)).ToList()
            : distinct.Order(StringComparer.Ordinal).ToList();
        var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        return new LabelledTable(names[..^1], labels, rows, rawLabels.Select(l => index[l]).ToList());
    }

    /// <summary>The rows at <paramref name="indices"/>, in that order.</summary>
    public LabelledTable Subset(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        return this with { Features = indices.Select(i => Features[i]).ToList(), Classes = indices.Select(i => Classes[i]).ToList() };
    }
}
