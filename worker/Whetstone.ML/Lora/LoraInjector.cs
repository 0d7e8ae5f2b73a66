using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Whetstone.ML.Lora;

/// <summary>Puts LoRA adapters into a model's Linear modules chosen by name, and freezes everything else.</summary>
public static class LoraInjector
{
    /// <summary>Name of the adapter's A matrix module under the adapted Linear (PEFT's saved name).</summary>
    public const string LoraAName = "lora_A";

    /// <summary>Name of the adapter's B matrix module under the adapted Linear (PEFT's saved name).</summary>
    public const string LoraBName = "lora_B";

    /// <summary>
    /// Freezes every parameter of <paramref name="model"/>, then adapts each Linear whose last name segment is one of
    /// <see cref="LoraOptions.TargetModules"/>. The model must run its Linear layers through <c>call</c> (which runs
    /// hooks), as TorchSharp models do. Seed torch before calling for reproducible adapter initialisation.
    /// </summary>
    /// <exception cref="ArgumentException">No Linear module matches the target names (the message lists the names the model has).</exception>
    public static LoraModel Inject(nn.Module model, LoraOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        foreach (var parameter in model.parameters())
        {
            parameter.requires_grad = false;
        }

        var targets = new HashSet<string>(options.TargetModules, StringComparer.Ordinal);
        var linears = model.named_modules().Where(m => m.module is Linear).ToList();
        var chosen = linears.Where(m => targets.Contains(LastSegment(m.name))).ToList();
        if (chosen.Count == 0)
        {
            var available = string.Join(", ", linears.Select(m => LastSegment(m.name)).Distinct().Order(StringComparer.Ordinal));
            throw new ArgumentException(
                $"method.lora.targetModules [{string.Join(", ", options.TargetModules)}] matches no Linear module of the model; it has: [{available}].",
                nameof(options));
        }

        var adapters = chosen.Select(m => Attach(m.name, (Linear)m.module, options)).ToList();
        return new LoraModel(model, options, adapters);
    }

    private static InjectedLoraAdapter Attach(string name, Linear linear, LoraOptions options)
    {
        if (linear.named_children().Any(c => c.name is LoraAName or LoraBName))
        {
            throw new InvalidOperationException($"Module {name} already carries a LoRA adapter.");
        }

        var adapter = new LoraLinear(linear, options);
        linear.register_module(LoraAName, adapter.LoraA);
        linear.register_module(LoraBName, adapter.LoraB);
        var hook = linear.register_forward_hook((module, input, output) => output + adapter.CalculateDelta(input, module.training));
        return new InjectedLoraAdapter(name, adapter, hook.remove);
    }

    private static string LastSegment(string name) => name[(name.LastIndexOf('.') + 1)..];
}
