namespace Whetstone.ML.Lora;

/// <summary>One adapter placed in a model: the full name of the adapted module and the adapter.</summary>
public sealed class InjectedLoraAdapter
{
    private readonly Action _detach;

    internal InjectedLoraAdapter(string moduleName, LoraLinear adapter, Action detach)
    {
        ModuleName = moduleName;
        Adapter = adapter;
        this._detach = detach;
    }

    /// <summary>Full module name in the model, e.g. "model.layers.0.self_attn.q_proj".</summary>
    public string ModuleName { get; }

    /// <summary>The adapter; its <see cref="LoraLinear.BaseLayer"/> is the model's own Linear.</summary>
    public LoraLinear Adapter { get; }

    /// <summary>Takes the adapter out of the model, putting the base Linear back where it was.</summary>
    internal void Detach() => _detach();
}
