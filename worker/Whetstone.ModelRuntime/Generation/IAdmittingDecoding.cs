namespace Whetstone.ModelRuntime.Generation;

/// <summary>
/// A cached decoding that admits new sequences between steps (continuous batching): their prompts are prefilled
/// and their key/value rows join the running batch, so they share every later forward pass.
/// </summary>
public interface IAdmittingDecoding : ICachedDecoding
{
    /// <summary>
    /// Prefills <paramref name="prompts"/>, appends them as new rows after the current rows (on an empty decoding,
    /// the same as <see cref="ICachedDecoding.Start"/>) and returns each new row's next-token logits. A row's numbers
    /// do not depend on the rows beside it beyond floating-point rounding: positions count a row's own tokens only.
    /// </summary>
    float[][] Admit(IReadOnlyList<IReadOnlyList<long>> prompts);
}
