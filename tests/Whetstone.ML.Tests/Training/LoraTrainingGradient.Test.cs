using Whetstone.ML.Lora;
using Whetstone.ML.Tests.Models;
using Whetstone.ML.Training;

namespace Whetstone.ML.Tests.Training;

/// <summary>LoRA training computes gradients for the adapters only: frozen weights (embedding and output layer included) never get one.</summary>
[Collection(TorchRandomCollection.Name)]
public sealed class LoraTrainingGradientTest
{
    [Fact]
    public async Task After_a_lora_step_only_adapter_weights_have_gradients()
    {
        var model = TinyConfigs.Create(TinyConfigs.GroupedQuery, seed: 4);
        LoraInjector.Inject(model, new LoraOptions(Rank: 4, Alpha: 8, Dropout: 0, TargetModules: ["q_proj", "v_proj"]));
        var options = new TrainingOptions
        {
            MaxSteps = 1,
            BatchSize = 4,
            EvaluateEverySteps = 0,
            CheckpointEverySteps = 0,
            EarlyStopping = null,
            Divergence = null,
        };
        await new Trainer(options).TrainAsync(model, SyntheticTask.Create(4, seed: 1), [], CancellationToken.None);

        var parameters = model.named_parameters().ToList();
        var withGradient = parameters.Where(p => p.parameter.grad is not null).Select(p => p.name).ToList();
        Assert.NotEmpty(withGradient);
        Assert.All(withGradient, name => Assert.True(LoraModel.IsAdapterTensor(name), $"{name} is frozen but has a gradient"));
        Assert.All(parameters.Where(p => LoraModel.IsAdapterTensor(p.name)), p => Assert.NotNull(p.parameter.grad));
        Assert.Contains(parameters, p => p.name == "model.embed_tokens.weight" && p.parameter.grad is null);
        Assert.Contains(parameters, p => p.name == "lm_head.weight" && p.parameter.grad is null);
    }
}
