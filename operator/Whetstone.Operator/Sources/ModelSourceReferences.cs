using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.Sources;

/// <summary>The job a <see cref="ModelSource"/> names (<c>fineTuneJobRef</c> or <c>compressionJobRef</c>), as data.</summary>
public static class ModelSourceReferences
{
    /// <summary>The references of <paramref name="source"/> at <paramref name="field"/> (none for a URI).</summary>
    public static IReadOnlyList<JobReference> Of(ModelSource? source, string field)
    {
        if (source?.FineTuneJobRef is { Name.Length: > 0 } ftj)
        {
            return [JobReference.Source<FineTuneJob>(field + ".fineTuneJobRef", ftj.Name)];
        }

        if (source?.CompressionJobRef is { Name.Length: > 0 } cpj)
        {
            return [JobReference.Source<CompressionJob>(field + ".compressionJobRef", cpj.Name)];
        }

        return [];
    }
}
