using TorchSharp;

namespace Whetstone.ML.Models;

/// <summary>Maps Hugging Face <c>torch_dtype</c> names to torch scalar types.</summary>
public static class ModelDtypes
{
    /// <summary>Parses "float32", "float16" or "bfloat16".</summary>
    public static bool TryParse(string? name, out torch.ScalarType dtype)
    {
        switch (name)
        {
            case "float32":
                dtype = torch.ScalarType.Float32;
                return true;
            case "float16":
                dtype = torch.ScalarType.Float16;
                return true;
            case "bfloat16":
                dtype = torch.ScalarType.BFloat16;
                return true;
            default:
                dtype = torch.ScalarType.Float32;
                return false;
        }
    }

    /// <summary>The Hugging Face name of a floating-point scalar type.</summary>
    public static string NameOf(torch.ScalarType dtype) => dtype switch
    {
        torch.ScalarType.Float32 => "float32",
        torch.ScalarType.Float16 => "float16",
        torch.ScalarType.BFloat16 => "bfloat16",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "model weights must be float32, float16 or bfloat16"),
    };
}
