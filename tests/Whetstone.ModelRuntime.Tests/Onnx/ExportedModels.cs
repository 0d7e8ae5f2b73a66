using System.Diagnostics;
using Whetstone.ML.Models;
using Whetstone.Onnx;

namespace Whetstone.ModelRuntime.Tests.Onnx;

/// <summary>Models the ONNX tests export: the shipped tiny model and a random one with grouped-query attention and an untied head.</summary>
public sealed class ExportedModels : IDisposable
{
    private readonly TemporaryDirectory _root = new();

    public ExportedModels()
    {
        TinyOnnx = Path.Combine(_root.Path, "tiny-onnx");
        OnnxExporter.Export(RepositoryFiles.TinyModel, TinyOnnx);

        RandomLlama = Path.Combine(_root.Path, "random");
        var config = new LlamaConfig
        {
            VocabSize = 1024,
            HiddenSize = 64,
            IntermediateSize = 96,
            NumHiddenLayers = 2,
            NumAttentionHeads = 8,
            NumKeyValueHeads = 2,
            RmsNormEps = 1e-5,
            RopeTheta = 500.0,
            MaxPositionEmbeddings = 256,
            TieWordEmbeddings = false,
            BosTokenId = 1,
            EosTokenId = 2,
            PadTokenId = 0,
        };
        global::TorchSharp.torch.manual_seed(21);
        using (var model = new LlamaForCausalLM(config))
        {
            model.InitializeWeights(0.2);
            LlamaCheckpoint.Save(model, RandomLlama);
        }
        foreach (var name in new[] { "tokenizer.json", "tokenizer_config.json" })
        {
            File.Copy(Path.Combine(RepositoryFiles.TinyModel, name), Path.Combine(RandomLlama, name));
        }
        RandomOnnx = Path.Combine(_root.Path, "random-onnx");
        OnnxExporter.Export(RandomLlama, RandomOnnx);
    }

    public string TinyOnnx { get; }

    public string RandomLlama { get; }

    public string RandomOnnx { get; }

    public string NewDirectory(string name) => Path.Combine(_root.Path, name + "-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() => _root.Dispose();

    /// <summary>Runs Debian's ONNX checker (full check with shape inference) on a model file; returns its output.</summary>
    public static string CheckWithOnnxChecker(string modelPath)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import sys, onnx; onnx.checker.check_model(sys.argv[1], full_check=True); m = onnx.load(sys.argv[1]); print('ok', m.opset_import[0].version, len(m.graph.node))");
        start.ArgumentList.Add(modelPath);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the ONNX checker did not finish in 2 minutes");
        Assert.True(process.ExitCode == 0, $"the ONNX checker refused {modelPath}: {errors.Result}{output.Result}");
        return output.Result;
    }
}
