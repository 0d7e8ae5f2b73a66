namespace Whetstone.Compression.Pruning;

/// <summary>How many weights of one tensor are zero after pruning.</summary>
/// <param name="Name">The parameter's name (<c>model.layers.0.mlp.up_proj.weight</c>).</param>
/// <param name="Elements">All weights of the tensor.</param>
/// <param name="Zeros">Weights that are exactly zero.</param>
public sealed record TensorSparsity(string Name, long Elements, long Zeros)
{
    /// <summary>Zeros / elements.</summary>
    public double Sparsity => Elements == 0 ? 0 : (double)Zeros / Elements;
}
