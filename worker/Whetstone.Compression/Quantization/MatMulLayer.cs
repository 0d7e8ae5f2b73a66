namespace Whetstone.Compression.Quantization;

/// <summary>
/// One matrix multiplication of a graph: a MatMul, or a Gemm (x @ W^T + b in the classifier export).
/// </summary>
/// <param name="Name">The weight initializer's name when the right operand is one (the projection), else the node's output.</param>
/// <param name="NodeName">The node's name (may be empty).</param>
/// <param name="Output">The node's output tensor: compared layer by layer, and kept by every rewrite.</param>
/// <param name="Weight">The weight initializer, or null for activation x activation products (attention scores).</param>
public sealed record MatMulLayer(string Name, string NodeName, string Output, string? Weight)
{
    /// <summary>True when the layer multiplies by a stored weight (a quantization candidate).</summary>
    public bool HasWeight => Weight is not null;
}
