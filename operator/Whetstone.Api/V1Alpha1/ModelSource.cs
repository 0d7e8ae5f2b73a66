using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>
/// Where a model comes from: exactly one of a URI, the output of a Succeeded FineTuneJob, or the output of a
/// Succeeded CompressionJob in the same namespace.
/// </summary>
[CelRule("(has(self.uri) ? 1 : 0) + (has(self.fineTuneJobRef) ? 1 : 0) + (has(self.compressionJobRef) ? 1 : 0) == 1",
    Message = "exactly one of uri, fineTuneJobRef or compressionJobRef must be set")]
public record ModelSource
{
    /// <summary>
    /// Location of the model directory: <c>s3://bucket/prefix/</c>, or <c>file:///path/</c> in the embedded mode.
    /// </summary>
    [Length(Max = 2048)]
    [Pattern(Patterns.ArtifactUri)]
    public string? Uri { get; set; }

    /// <summary>Use the merged model of this FineTuneJob (it must have Succeeded).</summary>
    public LocalObjectReference? FineTuneJobRef { get; set; }

    /// <summary>Use the compressed model of this CompressionJob (it must have Succeeded).</summary>
    public LocalObjectReference? CompressionJobRef { get; set; }

    /// <summary>
    /// How the model is stored: <c>whetstone</c> (config.json + model.safetensors + tokenizer.json) or <c>onnx</c>.
    /// When omitted, a referenced job's output format is used, and a URI is read as <c>whetstone</c>.
    /// </summary>
    [Enum(ModelFormats.Whetstone, ModelFormats.Onnx)]
    public string? Format { get; set; }

    /// <summary>Optional pin (<c>sha256:…</c>) of the model's manifest; a mismatch fails the job with DigestMismatch.</summary>
    [Pattern(Patterns.Digest)]
    public string? Digest { get; set; }
}
