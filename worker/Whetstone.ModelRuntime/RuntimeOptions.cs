namespace Whetstone.ModelRuntime;

/// <summary>How to load a model.</summary>
/// <param name="Threads">Intra-op threads; null takes the container's CPU limit (or the machine's cores).</param>
/// <param name="PreferCuda">Run on a GPU when the backend was built with CUDA and one is present.</param>
/// <param name="Backend">Force a backend; null chooses from the directory (model.onnx → ONNX Runtime, else TorchSharp).</param>
public sealed record RuntimeOptions(int? Threads = null, bool PreferCuda = true, RuntimeBackend? Backend = null);
