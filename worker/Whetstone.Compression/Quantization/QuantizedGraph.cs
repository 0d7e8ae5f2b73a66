using Onnx;

namespace Whetstone.Compression.Quantization;

/// <summary>A rewritten graph and what the rewrite did.</summary>
/// <param name="Model">The new model.</param>
/// <param name="Quantized">Layers (weight names) now computed in lower precision.</param>
/// <param name="Excluded">Layers that matched an exclusion pattern and stayed FP32.</param>
/// <param name="WeightOnly">Tensors stored in lower precision but computed in FP32 (embeddings, fp16 weights).</param>
/// <param name="Notes">Human notes (what kind of kernels run, what is not faster).</param>
public sealed record QuantizedGraph(ModelProto Model, IReadOnlyList<string> Quantized, IReadOnlyList<string> Excluded, IReadOnlyList<string> WeightOnly, string Notes);
