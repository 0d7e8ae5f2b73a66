namespace Whetstone.ModelRuntime;

/// <summary>The engine that runs a model.</summary>
public enum RuntimeBackend
{
    /// <summary>TorchSharp (libtorch): the Hugging Face layout (<c>config.json</c> + <c>model.safetensors</c>).</summary>
    TorchSharp,

    /// <summary>ONNX Runtime: a directory holding <c>model.onnx</c>.</summary>
    OnnxRuntime,
}
