namespace Whetstone.ModelRuntime;

/// <summary>Opens a model directory with the backend its files call for.</summary>
public static class ModelLoader
{
    /// <summary>
    /// Loads <paramref name="directory"/>: a directory holding <c>model.onnx</c> runs in ONNX Runtime, a Hugging Face
    /// layout (<c>config.json</c> + <c>model.safetensors</c>) in TorchSharp; <c>config.json</c>'s <c>model_type</c>
    /// says language model or classifier. Throws <see cref="Whetstone.ML.Models.ModelFormatException"/> naming the file
    /// when the directory holds neither.
    /// </summary>
    public static IModelRunner Load(string directory, RuntimeOptions? options = null) =>
        throw new NotImplementedException("the model runtime backends are being built (issue 13)");
}
