using System.Buffers.Binary;
using System.Text;
using Whetstone.ML.Models;
using Whetstone.Onnx;

namespace Whetstone.ModelRuntime.Tests.Corruption;

/// <summary>
/// Broken model files are refused with a <see cref="ModelFormatException"/> that names the file, before any work:
/// never a JSON parser's exception, an out-of-memory from a forged length, or a native crash in TorchSharp.
/// Each case corrupts one file of a copy of the committed tiny model.
/// </summary>
public sealed class CorruptModelFilesTest
{
    public static TheoryData<string, string> Corruptions => new()
    {
        { "header-length-beyond-file", "model.safetensors" },
        { "header-length-huge", "model.safetensors" },
        { "header-not-json", "model.safetensors" },
        { "tensor-offsets-beyond-file", "model.safetensors" },
        { "tensor-missing", "model.safetensors" },
        { "tensor-wrong-shape", "config.json" },
        { "config-not-json", "config.json" },
        { "config-without-hidden-size", "config.json" },
        { "config-negative-layers", "config.json" },
        { "tokenizer-not-json", "tokenizer.json" },
        { "tokenizer-truncated", "tokenizer.json" },
        { "tokenizer-without-model", "tokenizer.json" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void A_corrupt_model_file_is_a_model_format_error_naming_the_file(string corruption, string file)
    {
        using var model = new TemporaryDirectory();
        foreach (var source in Directory.GetFiles(RepositoryFiles.TinyModel))
        {
            File.Copy(source, Path.Combine(model.Path, Path.GetFileName(source)));
        }
        Corrupt(model.Path, corruption);

        var error = Assert.Throws<ModelFormatException>(() =>
        {
            using var runner = ModelLoader.Load(model.Path, new RuntimeOptions(Threads: 1));
        });

        Assert.True(error.Message.Contains(file, StringComparison.Ordinal), error.Message);
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("not-protobuf")]
    [InlineData("config-not-json")]
    public void A_corrupt_onnx_model_is_a_model_format_error_naming_the_file(string corruption)
    {
        using var model = new TemporaryDirectory();
        var onnx = Path.Combine(model.Path, "onnx");
        OnnxExporter.Export(RepositoryFiles.TinyModel, onnx);
        var graph = Path.Combine(onnx, OnnxModelFiles.ModelFileName);
        var expected = OnnxModelFiles.ModelFileName;
        switch (corruption)
        {
            case "empty":
                File.WriteAllBytes(graph, []);
                break;
            case "not-protobuf":
                File.WriteAllText(graph, "this is not an ONNX graph, only text that protobuf cannot read");
                break;
            default:
                File.WriteAllText(Path.Combine(onnx, "config.json"), "[1, 2");
                expected = "config.json";
                break;
        }

        var error = Assert.Throws<ModelFormatException>(() =>
        {
            using var runner = ModelLoader.Load(onnx, new RuntimeOptions(Threads: 1));
        });

        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), error.Message);
    }

    private static void Corrupt(string directory, string corruption)
    {
        var weights = Path.Combine(directory, "model.safetensors");
        var config = Path.Combine(directory, "config.json");
        var tokenizer = Path.Combine(directory, "tokenizer.json");
        var bytes = File.ReadAllBytes(weights);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = Encoding.UTF8.GetString(bytes, 8, headerLength);
        switch (corruption)
        {
            case "header-length-beyond-file":
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)bytes.Length);
                File.WriteAllBytes(weights, bytes);
                break;
            case "header-length-huge":
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue / 2);
                File.WriteAllBytes(weights, bytes);
                break;
            case "header-not-json":
                Encoding.ASCII.GetBytes(new string('#', headerLength)).CopyTo(bytes, 8);
                File.WriteAllBytes(weights, bytes);
                break;
            case "tensor-offsets-beyond-file":
                // Every data_offsets pair points far past the end of the file (same header length: digits swapped).
                WriteHeader(weights, bytes, headerLength, header.Replace("\"data_offsets\":[", "\"data_offsets\":[9", StringComparison.Ordinal).Replace(",", ",9", StringComparison.Ordinal));
                break;
            case "tensor-missing":
                WriteHeader(weights, bytes, headerLength, header.Replace("model.norm.weight", "model.norm.weighx", StringComparison.Ordinal));
                break;
            case "tensor-wrong-shape":
                File.WriteAllText(config, File.ReadAllText(config).Replace("\"intermediate_size\": 352", "\"intermediate_size\": 360", StringComparison.Ordinal));
                break;
            case "config-not-json":
                File.WriteAllText(config, "{ \"vocab_size\": 1024, ");
                break;
            case "config-without-hidden-size":
                File.WriteAllText(config, File.ReadAllText(config).Replace("\"hidden_size\": 128,", "", StringComparison.Ordinal));
                break;
            case "config-negative-layers":
                File.WriteAllText(config, File.ReadAllText(config).Replace("\"num_hidden_layers\": 4", "\"num_hidden_layers\": -4", StringComparison.Ordinal));
                break;
            case "tokenizer-not-json":
                File.WriteAllText(tokenizer, "not a tokenizer");
                break;
            case "tokenizer-truncated":
                var text = File.ReadAllText(tokenizer);
                File.WriteAllText(tokenizer, text[..(text.Length / 2)]);
                break;
            case "tokenizer-without-model":
                File.WriteAllText(tokenizer, "{\"version\": \"1.0\", \"added_tokens\": []}");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(corruption), corruption, null);
        }
    }

    // Rewrites the header in place when the edit keeps its length, else pads or trims with spaces inside the JSON.
    private static void WriteHeader(string path, byte[] bytes, int headerLength, string header)
    {
        var edited = Encoding.UTF8.GetBytes(header);
        if (edited.Length > headerLength)
        {
            var rebuilt = new byte[8 + edited.Length + (bytes.Length - 8 - headerLength)];
            BinaryPrimitives.WriteUInt64LittleEndian(rebuilt, (ulong)edited.Length);
            edited.CopyTo(rebuilt, 8);
            bytes.AsSpan(8 + headerLength).CopyTo(rebuilt.AsSpan(8 + edited.Length));
            File.WriteAllBytes(path, rebuilt);
            return;
        }
        Encoding.UTF8.GetBytes(header.PadRight(headerLength)).CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
    }
}
