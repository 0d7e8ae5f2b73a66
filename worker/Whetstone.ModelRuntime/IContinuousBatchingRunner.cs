using Whetstone.ModelRuntime.Generation;

namespace Whetstone.ModelRuntime;

/// <summary>
/// A language model runner whose cached decoding admits sequences mid-decode (TorchSharp, and ONNX Runtime for a
/// graph exported with past key/value inputs). A server drives a <see cref="ContinuousBatch"/> over it when
/// <see cref="SupportsAdmission"/> holds; otherwise it batches whole requests.
/// </summary>
public interface IContinuousBatchingRunner : ILanguageModelRunner
{
    /// <summary>A new, empty decoding; sequences join with <see cref="IAdmittingDecoding.Admit"/>.</summary>
    IAdmittingDecoding StartAdmittingDecoding();

    /// <summary>Whether this model can decode with a cache that admits sequences (an ONNX graph needs past inputs).</summary>
    bool SupportsAdmission => true;
}
