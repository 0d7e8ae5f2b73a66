namespace Whetstone.Compression;

/// <summary>Size, speed and quality of one model as measured.</summary>
/// <param name="SizeBytes">Bytes of the weight files (safetensors, or the ONNX graph and its external data).</param>
/// <param name="Parameters">Weights counted once each (quantization scales and zero points are not parameters); after an unstructured prune step, its non-zero weights.</param>
/// <param name="LatencyP50Ms">Median latency of one forward pass at batch 1 (language model: 32 tokens; classifier: one row).</param>
/// <param name="LatencyP99Ms">99th percentile of the same runs.</param>
/// <param name="Backend">The engine that ran it (TorchSharp, OnnxRuntime).</param>
/// <param name="Accuracy">Multiple-choice or classification accuracy.</param>
/// <param name="Perplexity">Text perplexity.</param>
/// <param name="F1">Classification macro F1.</param>
public sealed record ModelFigures(long SizeBytes, long Parameters, double LatencyP50Ms, double LatencyP99Ms, string Backend, double? Accuracy, double? Perplexity, double? F1);
