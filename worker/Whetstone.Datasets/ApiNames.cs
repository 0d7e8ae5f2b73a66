namespace Whetstone.Datasets;

/// <summary>A two-way map between enum values and the names api.md uses for them.</summary>
internal sealed class ApiNames<TEnum>(params (TEnum Value, string Name)[] names)
    where TEnum : struct, Enum
{
    public string ToName(TEnum value) => names.First(entry => EqualityComparer<TEnum>.Default.Equals(entry.Value, value)).Name;

    /// <summary>Parses an exact (case-sensitive) name; throws <see cref="DatasetOptionsException"/> naming <paramref name="field"/>.</summary>
    public TEnum Parse(string name, string field, string what)
    {
        foreach (var (value, valueName) in names)
        {
            if (string.Equals(valueName, name, StringComparison.Ordinal))
            {
                return value;
            }
        }

        throw new DatasetOptionsException(field, $"unknown {what} \"{name}\" (expected {string.Join(", ", names.Select(entry => entry.Name))})");
    }
}
