using static TorchSharp.torch;

namespace Whetstone.ML.Models;

/// <summary>Re-registers a child module under the same name, so parameter names follow the swap.</summary>
internal static class ProjectionSwap
{
    public static void Register(nn.Module owner, string name, nn.Module<Tensor, Tensor> replacement)
    {
        // TorchSharp removes a registration when given null and refuses to register a taken name.
        owner.register_module(name, null!);
        owner.register_module(name, replacement);
    }
}
