using Whetstone.ModelRuntime.Generation;

namespace Whetstone.ModelRuntime;

/// <summary>
/// A language model runner whose cached decoding admits sequences mid-decode (TorchSharp). A server drives a
/// <see cref="ContinuousBatch"/> over it; runners without it (ONNX Runtime) batch whole requests instead.
/// </summary>
public interface IContinuousBatchingRunner : ILanguageModelRunner
{
    /// <summary>A new, empty decoding; sequences join with <see cref="IAdmittingDecoding.Admit"/>.</summary>
    IAdmittingDecoding StartAdmittingDecoding();
}
