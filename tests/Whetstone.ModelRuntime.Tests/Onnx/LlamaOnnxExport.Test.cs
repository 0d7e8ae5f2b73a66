using Whetstone.ML.Models;
using Whetstone.Onnx;

namespace Whetstone.ModelRuntime.Tests.Onnx;

public sealed class LlamaOnnxExportTest(ExportedModels models) : IClassFixture<ExportedModels>
{
    private static readonly RuntimeOptions OneThread = new(Threads: 1);

    public static TheoryData<string> Models => new() { "tiny", "random-gqa-untied" };

    private (string Source, string Onnx) Pick(string name) =>
        name == "tiny" ? (RepositoryFiles.TinyModel, models.TinyOnnx) : (models.RandomLlama, models.RandomOnnx);

    [Theory]
    [MemberData(nameof(Models))]
    public void The_exported_graph_passes_the_onnx_checker_with_shape_inference(string name)
    {
        var output = ExportedModels.CheckWithOnnxChecker(Path.Combine(Pick(name).Onnx, OnnxModelFiles.ModelFileName));

        Assert.StartsWith("ok 17 ", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Onnx_runtime_logits_equal_torchsharp_logits_within_1e4_with_padding(string name)
    {
        var (source, onnx) = Pick(name);
        using var torch = ModelLoader.LoadLanguageModel(source, OneThread);
        using var ort = ModelLoader.LoadLanguageModel(onnx, OneThread);
        IReadOnlyList<long>[] sequences = [[1, 17, 301, 44, 9, 870, 12], [1, 5, 6], [1, 1000, 2, 63, 64, 65, 66, 67, 68, 69, 70]];

        var expected = torch.ComputeLogits(sequences, batchSize: 3);
        var actual = ort.ComputeLogits(sequences, batchSize: 3);

        Assert.Equal(RuntimeBackend.OnnxRuntime, ort.Description.Backend);
        for (var i = 0; i < sequences.Length; i++)
        {
            Assert.Equal(expected[i].Length, actual[i].Length);
            var worst = expected[i].Zip(actual[i], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst < 1e-4, $"{name} sequence {i}: max |torch - onnx| = {worst}");
            Assert.True(expected[i].Max(Math.Abs) > 0.5, "logits large enough for the comparison to mean something");
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Cached_generation_in_onnx_runtime_gives_torchsharps_greedy_tokens(string name)
    {
        var (source, onnx) = Pick(name);
        using var torch = ModelLoader.LoadLanguageModel(source, OneThread);
        using var ort = ModelLoader.LoadLanguageModel(onnx, OneThread);
        IReadOnlyList<long>[] prompts =
        [
            [.. torch.Tokenizer.Encode("Where is my order?", addBos: true).Select(id => (long)id)],
            [.. torch.Tokenizer.Encode("The recipe needs", addBos: true).Select(id => (long)id)],
        ];
        var options = new SamplingOptions(MaxNewTokens: 20);

        var expected = torch.Generate(prompts, options);
        var cached = ort.Generate(prompts, options);
        var uncached = ort.Generate(prompts, options with { UseCache = false });

        for (var i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(expected[i].TokenIds, cached[i].TokenIds);
            Assert.Equal(expected[i].TokenIds, uncached[i].TokenIds);
        }
    }

    [Fact]
    public void Onnx_runtime_scores_at_batch_1_and_batch_16_agree_to_1e5()
    {
        using var ort = ModelLoader.LoadLanguageModel(models.TinyOnnx, OneThread);
        var requests = Enumerable.Range(0, 16)
            .Select(i => new ContinuationRequest([1, .. Enumerable.Range(10 + i, 3 + i % 5).Select(t => (long)t)], [.. Enumerable.Range(200 + i, 1 + i % 4).Select(t => (long)t)]))
            .ToList();

        var single = ort.ScoreContinuations(requests, batchSize: 1);
        var batched = ort.ScoreContinuations(requests, batchSize: 16);

        var worst = single.Zip(batched, (a, b) => a.TokenLogProbabilities.Zip(b.TokenLogProbabilities, (x, y) => Math.Abs(x - y)).Max()).Max();
        Assert.True(worst < 1e-5, $"max difference {worst}");
    }

    [Fact]
    public void A_token_id_outside_the_vocabulary_is_refused_naming_the_id_and_vocab_size()
    {
        using var ort = ModelLoader.LoadLanguageModel(models.TinyOnnx, OneThread);
        var vocabulary = ort.VocabularySize;

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ort.ComputeLogits([[1, 2, vocabulary]]));

        Assert.Contains($"token id {vocabulary} is outside the model's vocabulary (config.json vocab_size {vocabulary})", error.Message, StringComparison.Ordinal);
        Assert.Equal(vocabulary, ort.ComputeLogits([[1, 2, vocabulary - 1]])[0].Length / 3);
    }

    [Fact]
    public void Weights_above_the_threshold_go_to_external_data_and_load_back_equal()
    {
        var output = models.NewDirectory("external");
        OnnxExporter.Export(models.RandomLlama, output, new OnnxExportOptions(ExternalDataThresholdBytes: 1024));
        var inline = new FileInfo(Path.Combine(models.RandomOnnx, OnnxModelFiles.ModelFileName)).Length;
        var graphOnly = new FileInfo(Path.Combine(output, OnnxModelFiles.ModelFileName)).Length;

        Assert.True(File.Exists(Path.Combine(output, OnnxModelFiles.ExternalDataFileName)));
        Assert.True(graphOnly < inline / 10, $"graph file {graphOnly} bytes vs {inline} with weights inline");
        ExportedModels.CheckWithOnnxChecker(Path.Combine(output, OnnxModelFiles.ModelFileName));
        using var external = ModelLoader.LoadLanguageModel(output, OneThread);
        using var reference = ModelLoader.LoadLanguageModel(models.RandomOnnx, OneThread);
        IReadOnlyList<long>[] sequence = [[1, 2, 3, 4, 5]];
        Assert.Equal(reference.ComputeLogits(sequence)[0], external.ComputeLogits(sequence)[0]);
    }

    [Fact]
    public void A_truncated_onnx_file_is_a_model_format_error_not_a_native_crash()
    {
        var broken = models.NewDirectory("broken");
        Directory.CreateDirectory(broken);
        foreach (var file in Directory.GetFiles(models.TinyOnnx))
        {
            File.Copy(file, Path.Combine(broken, Path.GetFileName(file)));
        }
        var path = Path.Combine(broken, OnnxModelFiles.ModelFileName);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);

        var error = Assert.Throws<ModelFormatException>(() => ModelLoader.Load(broken, OneThread));
        Assert.Contains("model.onnx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exporting_into_a_directory_that_holds_a_model_is_refused()
    {
        var error = Assert.Throws<IOException>(() => OnnxExporter.Export(RepositoryFiles.TinyModel, models.TinyOnnx));
        Assert.Contains("already holds", error.Message, StringComparison.Ordinal);
    }
}
