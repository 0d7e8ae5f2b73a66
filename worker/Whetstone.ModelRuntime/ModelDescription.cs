namespace Whetstone.ModelRuntime;

/// <summary>What a loaded model is, for reports and measurements.</summary>
/// <param name="Directory">The model directory it was loaded from.</param>
/// <param name="Kind">Language model or classifier.</param>
/// <param name="Backend">The engine running it.</param>
/// <param name="Device">Where it runs (<c>cpu</c>, <c>cuda:0</c>).</param>
/// <param name="Threads">Intra-op threads the backend uses.</param>
/// <param name="Parameters">Number of weights (dense count, zeros included).</param>
/// <param name="WeightBytes">Bytes of the weight files on disk (safetensors, or ONNX plus external data).</param>
public sealed record ModelDescription(
    string Directory,
    ModelKind Kind,
    RuntimeBackend Backend,
    string Device,
    int Threads,
    long Parameters,
    long WeightBytes);
