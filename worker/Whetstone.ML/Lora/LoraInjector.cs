using TorchSharp;
using TorchSharp.Modules;
using Whetstone.ML.Models;
using static TorchSharp.torch;

namespace Whetstone.ML.Lora;

/// <summary>Puts LoRA adapters into a model's Linear modules chosen by name, and freezes everything else.</summary>
public static class LoraInjector
{
    /// <summary>Name of the adapter's A matrix module (PEFT's saved name).</summary>
    public const string LoraAName = "lora_A";

    /// <summary>Name of the adapter's B matrix module (PEFT's saved name).</summary>
    public const string LoraBName = "lora_B";

    /// <summary>
    /// Freezes every parameter of <paramref name="model"/>, then adapts each Linear whose last name segment is one of
    /// <see cref="LoraOptions.TargetModules"/>. A projection of an <see cref="IProjectionOwner"/> (the Llama model's
    /// attention and MLP blocks) is swapped for a <see cref="LoraLinear"/> wrapping it, so its parameters read
    /// "q_proj.base_layer.weight", "q_proj.lora_A.weight" as in PEFT. Any other Linear keeps its place and gets
    /// "lora_A" / "lora_B" registered under it plus a forward hook, which needs the model to run it with
    /// <c>call</c>. Seed torch before calling for a reproducible adapter initialisation.
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

        var modules = model.named_modules().ToList();
        var byName = modules.ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
        var targets = new HashSet<string>(options.TargetModules, StringComparer.Ordinal);
        var linears = modules.Where(m => m.module is Linear).ToList();
        var chosen = linears.Where(m => targets.Contains(LastSegment(m.name))).ToList();
        if (chosen.Count == 0)
        {
            var available = string.Join(", ", linears.Select(m => LastSegment(m.name)).Distinct().Order(StringComparer.Ordinal));
            throw new ArgumentException(
                $"method.lora.targetModules [{string.Join(", ", options.TargetModules)}] matches no Linear module of the model; it has: [{available}].",
                nameof(options));
        }

        var adapters = chosen.Select(m => Attach(m.name, (Linear)m.module, ParentOf(m.name, model, byName), options)).ToList();
        return new LoraModel(model, options, adapters);
    }

    private static InjectedLoraAdapter Attach(string name, Linear linear, nn.Module parent, LoraOptions options)
    {
        var adapter = new LoraLinear(linear, options);
        var projection = LastSegment(name);
        if (parent is IProjectionOwner owner && owner.ProjectionNames.Contains(projection))
        {
            owner.ReplaceProjection(projection, adapter);
            return new InjectedLoraAdapter(name, adapter, () => owner.ReplaceProjection(projection, linear));
        }

        if (linear.named_children().Any(c => c.name is LoraAName or LoraBName))
        {
            throw new InvalidOperationException($"Module {name} already carries a LoRA adapter.");
        }

        linear.register_module(LoraAName, adapter.LoraA);
        linear.register_module(LoraBName, adapter.LoraB);
        var hook = linear.register_forward_hook((module, input, output) => output + adapter.CalculateDelta(input, module.training));
        return new InjectedLoraAdapter(name, adapter, () =>
        {
            hook.remove();
            linear.register_module(LoraAName, null!);
            linear.register_module(LoraBName, null!);
        });
    }

    private static nn.Module ParentOf(string name, nn.Module model, Dictionary<string, nn.Module> byName)
    {
        var dot = name.LastIndexOf('.');
        return dot < 0 ? model : byName[name[..dot]];
    }

    private static string LastSegment(string name) => name[(name.LastIndexOf('.') + 1)..];
}
