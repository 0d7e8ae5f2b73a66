namespace Whetstone.Api.V1Alpha1;

/// <summary>What a CompressionJob wrote.</summary>
public sealed record CompressionArtifacts
{
    /// <summary>The compressed model, in the format of the last step (whetstone, or onnx after convert).</summary>
    public ArtifactRef? Model { get; set; }

    /// <summary>The comparison report (JSON).</summary>
    public ArtifactRef? Report { get; set; }

    /// <summary>The same report as Markdown, for people.</summary>
    public ArtifactRef? ReportMarkdown { get; set; }

    /// <summary>The size / speed / metric chart (PNG).</summary>
    public ArtifactRef? Chart { get; set; }

    /// <summary>The job generation whose spec produced these outputs (they live under <c>&lt;uid&gt;/g&lt;generation&gt;/</c>).</summary>
    public long? Generation { get; set; }
}
