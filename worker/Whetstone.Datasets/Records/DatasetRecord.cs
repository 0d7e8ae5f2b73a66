using System.Text.Json;

namespace Whetstone.Datasets.Records;

/// <summary>One record of a dataset, typed by its <see cref="DatasetFormat"/>.</summary>
public abstract record DatasetRecord
{
    /// <summary>The format this record belongs to.</summary>
    public abstract DatasetFormat Format { get; }

    /// <summary>
    /// The free-text fields a person wrote (message contents, instruction, output, question, choices), in a fixed
    /// order. Labels and roles are not free text and are left out.
    /// </summary>
    public abstract IEnumerable<string> TextFields { get; }

    /// <summary>True when a field the format needs to be useful is blank (see the README for each format).</summary>
    public abstract bool IsEmpty { get; }

    /// <summary>A copy with every free-text field passed through <paramref name="map"/>.</summary>
    public abstract DatasetRecord MapText(Func<string, string> map);

    /// <summary>Writes the record as its canonical JSON object (fixed property order).</summary>
    public abstract void WriteJson(Utf8JsonWriter writer);

    /// <summary>The free text joined by newlines, used for similarity (near duplicates, overlap).</summary>
    public string ContentText => string.Join('\n', TextFields);
}
