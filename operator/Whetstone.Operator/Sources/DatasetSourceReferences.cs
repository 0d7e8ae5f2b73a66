using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.Sources;

/// <summary>The FineTuneJob a <see cref="DatasetSource"/> names (<c>fineTuneJobRef</c>: a split of its cleaned dataset), as data.</summary>
public static class DatasetSourceReferences
{
    /// <summary>The references of <paramref name="source"/> at <paramref name="field"/> (none for a URI or no source).</summary>
    public static IReadOnlyList<JobReference> Of(DatasetSource? source, string field) =>
        source?.FineTuneJobRef is { Name.Length: > 0 } ftj
            ? [JobReference.Source<FineTuneJob>(field + ".fineTuneJobRef", ftj.Name)]
            : [];
}
