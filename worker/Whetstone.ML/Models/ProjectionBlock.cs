using TorchSharp.Modules;
using Whetstone.ML.Runtime;
using static TorchSharp.torch;

namespace Whetstone.ML.Models;

/// <summary>
/// A block made of named linear projections (q_proj, gate_proj, ...) registered under their Hugging Face
/// names, so parameter names follow the safetensors layout and a projection can be swapped by name.
/// </summary>
public abstract class ProjectionBlock : nn.Module, IProjectionOwner
{
    private readonly Dictionary<string, nn.Module<Tensor, Tensor>> _projections = new(StringComparer.Ordinal);

    /// <summary>Creates the block; subclasses add their projections with <see cref="AddProjection"/>.</summary>
    protected ProjectionBlock(string name) : base(name) { }

    /// <inheritdoc/>
    public IEnumerable<string> ProjectionNames => _projections.Keys;

    /// <inheritdoc/>
    public nn.Module<Tensor, Tensor> GetProjection(string name) =>
        _projections.TryGetValue(name, out var projection)
            ? projection
            : throw new ArgumentException($"{GetName()} has no projection '{name}' (it has {string.Join(", ", _projections.Keys)})", nameof(name));

    /// <inheritdoc/>
    public void ReplaceProjection(string name, nn.Module<Tensor, Tensor> replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        _ = GetProjection(name);
        _projections[name] = replacement;
        // TorchSharp removes a registration when given null and refuses to register a taken name.
        register_module(name, null!);
        register_module(name, replacement);
    }

    /// <summary>Registers a projection under its Hugging Face name.</summary>
    protected void AddProjection(string name, nn.Module<Tensor, Tensor> projection)
    {
        _projections.Add(name, projection);
        register_module(name, projection);
    }

    /// <summary>
    /// Applies the projection now registered as <paramref name="name"/>. Inside an <see cref="Autocast"/> scope a
    /// plain Linear computes in the compute dtype; other modules (LoRA) follow the scope themselves.
    /// </summary>
    protected Tensor Project(string name, Tensor input)
    {
        var projection = _projections[name];
        return Autocast.IsEnabled && projection is Linear linear
            ? Autocast.Linear(input, linear.weight!, linear.bias)
            : projection.forward(input);
    }
}
