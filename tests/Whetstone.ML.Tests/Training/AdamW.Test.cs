using TorchSharp;
using static TorchSharp.torch;

namespace Whetstone.ML.Tests.Training;

/// <summary>The trainer's AdamW (temporaries released per parameter) updates exactly as TorchSharp's and shares its checkpoint format.</summary>
[Collection(TorchRandomCollection.Name)]
public sealed class AdamWTest
{
    private static List<TorchSharp.Modules.Parameter> Parameters()
    {
        manual_seed(9);
        return [new TorchSharp.Modules.Parameter(randn(16, 8)), new TorchSharp.Modules.Parameter(randn(8))];
    }

    private static List<TorchSharp.Modules.AdamW.ParamGroup> Groups(List<TorchSharp.Modules.Parameter> parameters) =>
    [
        new([parameters[0]], lr: 0.01, weight_decay: 0.1),
        new([parameters[1]], lr: 0.01, weight_decay: 0),
    ];

    private static void Step(optim.Optimizer optimizer, List<TorchSharp.Modules.Parameter> parameters, int step)
    {
        manual_seed(100 + step);
        foreach (var parameter in parameters)
        {
            parameter.grad = randn_like(parameter);
        }

        optimizer.step();
    }

    [Fact]
    public void Updates_are_bit_identical_to_torchsharps_adamw()
    {
        var reference = Parameters();
        var ours = Parameters();
        using var referenceOptimizer = optim.AdamW(Groups(reference), lr: 0.01);
        using var ourOptimizer = new Whetstone.ML.Training.AdamW(Groups(ours), 0.01);
        for (var step = 0; step < 4; step++)
        {
            Step(referenceOptimizer, reference, step);
            Step(ourOptimizer, ours, step);
        }

        foreach (var (expected, actual) in reference.Zip(ours))
        {
            Assert.Equal(expected.data<float>().ToArray(), actual.data<float>().ToArray());
        }
    }

    [Fact]
    public void Its_saved_state_loads_into_torchsharps_adamw_and_back()
    {
        var ours = Parameters();
        using var ourOptimizer = new Whetstone.ML.Training.AdamW(Groups(ours), 0.01);
        Step(ourOptimizer, ours, 0);
        using var saved = new MemoryStream();
        using (var writer = new BinaryWriter(saved, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            ourOptimizer.save_state_dict(writer);
        }

        var theirs = Parameters();
        using var theirOptimizer = optim.AdamW(Groups(theirs), lr: 0.01);
        saved.Position = 0;
        using (var reader = new BinaryReader(saved, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            theirOptimizer.load_state_dict(reader);
        }

        var state = (TorchSharp.Modules.AdamW.State)theirOptimizer.state_dict().State[0];
        Assert.Equal(1, state.step);
    }
}
