namespace Whetstone.Api.V1Alpha1;

/// <summary>What a CompressionJob wrote.</summary>
public sealed record CompressionArtifacts
{
    /// <summary>The compressed model, in the format of the last step (whetstone, or onnx after convert).</summary>
    public ArtifactRef? Model { get; set; }

    /// <summary>The comparison report (JSON).</summary>
    public ArtifactRef? Report { get; set; }
}
