namespace Whetstone.ModelRuntime;

/// <summary>
/// A loaded model, whatever its format and backend. Every subcommand that runs a model (compress, evaluate, serve,
/// bench) goes through this interface; <see cref="ModelLoader"/> picks the backend from what the directory holds.
/// Implementations are not thread-safe: one caller at a time (the server serialises through its batcher).
/// </summary>
public interface IModelRunner : IDisposable
{
    /// <summary>What was loaded: kind, backend, sizes.</summary>
    ModelDescription Description { get; }
}
