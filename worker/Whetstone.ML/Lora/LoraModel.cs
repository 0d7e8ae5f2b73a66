using TorchSharp;
using static TorchSharp.torch;

namespace Whetstone.ML.Lora;

/// <summary>
/// A model carrying LoRA adapters: names and counts its trainable parameters, checks that only the adapters train,
/// merges the adapters into the base weights for export, and gives the adapter tensors under PEFT's names.
/// </summary>
public sealed class LoraModel
{
    /// <summary>The prefix PEFT puts before a model's own parameter names in adapter_model.safetensors.</summary>
    public const string PeftTensorPrefix = "base_model.model.";

    private readonly List<InjectedLoraAdapter> _adapters;

    internal LoraModel(nn.Module model, LoraOptions options, List<InjectedLoraAdapter> adapters)
    {
        Model = model;
        Options = options;
        this._adapters = adapters;
    }

    /// <summary>The adapted model (the same object that was passed in).</summary>
    public nn.Module Model { get; }

    /// <summary>The LoRA hyperparameters.</summary>
    public LoraOptions Options { get; }

    /// <summary>The adapters, in module order.</summary>
    public IReadOnlyList<InjectedLoraAdapter> Adapters => _adapters;

    /// <summary>True once <see cref="MergeAndUnload"/> has run.</summary>
    public bool IsMerged { get; private set; }

    /// <summary>Number of adapter parameters.</summary>
    public long TrainableParameterCount => _adapters.Sum(a => a.Adapter.AdapterParameterCount);

    /// <summary>Number of the base model's own parameters (adapters excluded).</summary>
    public long BaseParameterCount => Model.parameters().Sum(p => p.numel()) - (IsMerged ? 0 : TrainableParameterCount);

    /// <summary>Names of trainable parameters that are not adapter weights; empty when only the adapters train.</summary>
    public IReadOnlyList<string> FindNonAdapterTrainableParameters()
        => [.. Model.named_parameters().Where(p => p.parameter.requires_grad && !IsAdapterTensor(p.name)).Select(p => p.name)];

    /// <summary>The adapter tensors keyed by PEFT's names ("base_model.model.….q_proj.lora_A.weight").</summary>
    public IReadOnlyList<(string Name, Tensor Tensor)> GetPeftTensors()
    {
        EnsureNotMerged();
        return [.. Model.named_parameters().Where(p => IsAdapterTensor(p.name)).Select(p => (PeftTensorPrefix + p.name, (Tensor)p.parameter))];
    }

    /// <summary>
    /// Adds (alpha / r) · B·A into every adapted weight and removes the adapters, leaving a plain model with the
    /// base's parameter names, ready to save as a whole model.
    /// </summary>
    public void MergeAndUnload()
    {
        EnsureNotMerged();
        using (no_grad())
        {
            foreach (var injected in _adapters)
            {
                using var delta = injected.Adapter.CalculateMergedDelta();
                injected.Adapter.BaseLayer.weight.add_(delta.to(injected.Adapter.BaseLayer.weight.dtype));
                injected.Detach();
            }
        }

        IsMerged = true;
    }

    /// <summary>True for a parameter name that belongs to a LoRA adapter.</summary>
    public static bool IsAdapterTensor(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Contains($".{LoraInjector.LoraAName}.", StringComparison.Ordinal)
            || name.Contains($".{LoraInjector.LoraBName}.", StringComparison.Ordinal)
            || name.StartsWith($"{LoraInjector.LoraAName}.", StringComparison.Ordinal)
            || name.StartsWith($"{LoraInjector.LoraBName}.", StringComparison.Ordinal);
    }

    private void EnsureNotMerged()
    {
        if (IsMerged)
        {
            throw new InvalidOperationException("The adapters have been merged into the base weights already.");
        }
    }
}
