namespace Whetstone.ML.Lora;

/// <summary>One adapter placed in a model: the full name of the adapted module and the adapter.</summary>
public sealed class InjectedLoraAdapter
{
    private readonly Action removeHook;

    internal InjectedLoraAdapter(string moduleName, LoraLinear adapter, Action removeHook)
    {
        ModuleName = moduleName;
        Adapter = adapter;
        this.removeHook = removeHook;
    }

    /// <summary>Full module name in the model, e.g. "model.layers.0.self_attn.q_proj".</summary>
    public string ModuleName { get; }

    /// <summary>The adapter; its <see cref="LoraLinear.BaseLayer"/> is the model's own Linear.</summary>
    public LoraLinear Adapter { get; }

    /// <summary>Takes the adapter out of the model: removes the hook and the lora_A / lora_B registrations.</summary>
    internal void Detach()
    {
        removeHook();
        Adapter.BaseLayer.register_module(LoraInjector.LoraAName, null!);
        Adapter.BaseLayer.register_module(LoraInjector.LoraBName, null!);
    }
}
