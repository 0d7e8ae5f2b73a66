using static TorchSharp.torch;

namespace Whetstone.ML.Models;

/// <summary>
/// A block whose linear projections (q_proj, v_proj, gate_proj, ...) can be swapped for wrapped modules,
/// which is how adapters such as LoRA attach without copying the model.
/// </summary>
public interface IProjectionOwner
{
    /// <summary>The Hugging Face names of the projections this block owns.</summary>
    IEnumerable<string> ProjectionNames { get; }

    /// <summary>The module now serving projection <paramref name="name"/>.</summary>
    nn.Module<Tensor, Tensor> GetProjection(string name);

    /// <summary>Makes <paramref name="replacement"/> serve projection <paramref name="name"/>; its parameters then appear under that name.</summary>
    void ReplaceProjection(string name, nn.Module<Tensor, Tensor> replacement);
}
