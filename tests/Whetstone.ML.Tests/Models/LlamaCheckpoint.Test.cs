using TorchSharp;
using Whetstone.ML.Models;
using Whetstone.ML.Safetensors;
using static TorchSharp.torch;

namespace Whetstone.ML.Tests.Models;

public sealed class LlamaCheckpointTest
{
    [Fact]
    public void A_saved_model_loads_back_with_the_same_config_and_logits()
    {
        using var directory = new TemporaryDirectory();
        using var model = TinyConfigs.Create(TinyConfigs.TiedMultiHead);
        LlamaCheckpoint.Save(model, directory.Path);

        using var loaded = LlamaCheckpoint.Load(directory.Path);

        Assert.Equal(model.Config, loaded.Config with { Architectures = model.Config.Architectures });
        Assert.Equal(["LlamaForCausalLM"], loaded.Config.Architectures);
        using var noGrad = no_grad();
        using var input = tensor(new long[] { 1, 4, 9, 16 }).unsqueeze(0);
        Assert.True(model.Forward(input).eq(loaded.Forward(input)).all().item<bool>());
    }

    [Fact]
    public void A_bfloat16_checkpoint_loads_into_a_float32_model()
    {
        using var directory = new TemporaryDirectory();
        using var model = TinyConfigs.Create(TinyConfigs.GroupedQuery);
        model.to(ScalarType.BFloat16);
        LlamaCheckpoint.Save(model, directory.Path);

        using var loaded = LlamaCheckpoint.Load(directory.Path);

        Assert.Equal("bfloat16", LlamaConfig.Load(Path.Combine(directory.Path, "config.json")).TorchDtype);
        Assert.All(loaded.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        using var stored = model.Model.EmbedTokens.weight!.to(ScalarType.Float32);
        Assert.True(stored.eq(loaded.Model.EmbedTokens.weight!).all().item<bool>());
    }

    [Fact]
    public void A_missing_tensor_is_named_in_the_error()
    {
        using var directory = new TemporaryDirectory();
        using var model = TinyConfigs.Create(TinyConfigs.GroupedQuery);
        LlamaCheckpoint.Save(model, directory.Path);
        var weights = Path.Combine(directory.Path, "model.safetensors");
        using (var reader = SafetensorsReader.Open(weights))
        {
            var kept = reader.Tensors.Keys.Where(n => n != "model.norm.weight").Select(n => (n, reader.ReadTensor(n))).ToList();
            SafetensorsWriter.Write(weights + ".new", kept);
        }
        File.Move(weights + ".new", weights, overwrite: true);

        var error = Assert.Throws<ModelFormatException>(() => LlamaCheckpoint.Load(directory.Path));

        Assert.Contains("missing [model.norm.weight]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_inconsistent_config_names_the_field()
    {
        using var directory = new TemporaryDirectory();
        var path = Path.Combine(directory.Path, "config.json");
        (TinyConfigs.GroupedQuery with { NumKeyValueHeads = 3 }).Save(path);

        var error = Assert.Throws<ModelFormatException>(() => LlamaConfig.Load(path));

        Assert.Contains("num_key_value_heads 3 must divide num_attention_heads (4)", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_config_json_reports_the_line()
    {
        using var directory = new TemporaryDirectory();
        var path = Path.Combine(directory.Path, "config.json");
        File.WriteAllText(path, "{\n  \"vocab_size\": 10,\n  \"hidden_size\": \"wide\"\n}");

        var error = Assert.Throws<ModelFormatException>(() => LlamaConfig.Load(path));

        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hugging_face_config_with_a_list_of_end_tokens_takes_the_first()
    {
        using var directory = new TemporaryDirectory();
        var path = Path.Combine(directory.Path, "config.json");
        File.WriteAllText(path, """
            {"architectures":["LlamaForCausalLM"],"model_type":"llama","vocab_size":128,"hidden_size":64,
             "intermediate_size":128,"num_hidden_layers":1,"num_attention_heads":4,"num_key_value_heads":1,
             "rms_norm_eps":1e-5,"rope_theta":500000.0,"eos_token_id":[5,7],"bos_token_id":1,"torch_dtype":"bfloat16",
             "rope_scaling":null,"use_cache":true}
            """);

        var config = LlamaConfig.Load(path);

        Assert.Equal(5, config.EosTokenId);
        Assert.Equal(1, config.KeyValueHeads);
        Assert.Equal(16, config.AttentionHeadDim);
    }
}
