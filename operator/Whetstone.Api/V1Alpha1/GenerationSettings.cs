using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Sampling settings of a generation suite (the same for model and baseline).</summary>
public sealed record GenerationSettings
{
    /// <summary>Softmax temperature; 0 is greedy decoding.</summary>
    [Range(Minimum = 0, Maximum = 5)]
    [DefaultValue(0.0)]
    public double? Temperature { get; set; }

    /// <summary>Nucleus sampling: keep the most likely tokens up to this cumulative probability.</summary>
    [Range(Minimum = 0, Maximum = 1)]
    [DefaultValue(1.0)]
    public double? TopP { get; set; }

    /// <summary>Most new tokens per answer.</summary>
    [Range(Minimum = 1, Maximum = 4096)]
    [DefaultValue(64)]
    public int? MaxTokens { get; set; }

    /// <summary>Sampling seed (with the row, it fixes every draw).</summary>
    [Range(Minimum = 0)]
    public long? Seed { get; set; }

    /// <summary>Texts that end an answer (cut before them).</summary>
    [Items(Max = 16)]
    public IList<string>? Stop { get; set; }
}
