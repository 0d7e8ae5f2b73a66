using Microsoft.ML.OnnxRuntime;
using Whetstone.ML.Models;
using Whetstone.Onnx;

namespace Whetstone.ModelRuntime.Onnx;

/// <summary>Opens ONNX Runtime sessions the same way for every ONNX runner.</summary>
internal static class OnnxSessionFactory
{
    /// <summary>Checks the file through the protobuf schema, then opens a session with all graph optimizations.</summary>
    public static (InferenceSession Session, OnnxModelSummary Summary) Open(string path, int threads)
    {
        var summary = OnnxModelSummary.Read(path);
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        try
        {
            return (new InferenceSession(path, options), summary);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelFormatException($"{path}: ONNX Runtime cannot load it: {e.Message}", e);
        }
    }
}
