namespace Whetstone.Api.V1Alpha1;

/// <summary>The evaluation report in each format.</summary>
public sealed record EvaluationReport
{
    /// <summary>Machine-readable report.</summary>
    public ArtifactRef? Json { get; set; }

    /// <summary>Report for people, as Markdown.</summary>
    public ArtifactRef? Markdown { get; set; }

    /// <summary>Report for people, as HTML with charts.</summary>
    public ArtifactRef? Html { get; set; }

    /// <summary>Per-item results, one JSON object a line.</summary>
    public ArtifactRef? Items { get; set; }

    /// <summary>The metadata.generation whose spec the report describes (outputs are stored per generation).</summary>
    public long? Generation { get; set; }
}
