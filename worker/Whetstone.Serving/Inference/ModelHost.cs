using Microsoft.Extensions.Logging;
using Whetstone.ModelRuntime;
using Whetstone.Serving.Batching;

namespace Whetstone.Serving.Inference;

/// <summary>Loads the model in the background and says when it is ready: loaded and warmed up.</summary>
internal sealed class ModelHost(BatchingOptions batching, bool continuousBatching, bool onnxContinuousBatching, IBatchObserver? observer, ILogger logger) : IDisposable
{
    private volatile IServedModel? _model;

    public ReadinessState State { get; private set; } = ReadinessState.Loading;

    public string? Error { get; private set; }

    /// <summary>The model once loaded (it may still be warming up).</summary>
    public IServedModel? Model => _model;

    public int QueueDepth => _model?.QueueDepth ?? 0;

    public async Task LoadAsync(Func<CancellationToken, Task<IModelRunner>> load, CancellationToken cancellationToken)
    {
        try
        {
            var runner = await load(cancellationToken).ConfigureAwait(false);
            IServedModel served = runner switch
            {
                IClassifierRunner classifier => new ClassifierService(classifier, batching, observer),
                ILanguageModelRunner language => new GenerationService(language, batching,
                    continuousBatching && (language.Description.Backend != RuntimeBackend.OnnxRuntime || onnxContinuousBatching), observer),
                _ => throw new NotSupportedException($"a {runner.Description.Kind} cannot be served"),
            };
            _model = served;
            State = ReadinessState.WarmingUp;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await served.WarmUpAsync(cancellationToken).ConfigureAwait(false);
            State = ReadinessState.Ready;
            logger.LogInformation("model {Directory} ({Kind}, {Backend} on {Device}) warmed up in {Milliseconds:F0} ms; ready",
                served.Description.Directory, served.Description.Kind, served.Description.Backend, served.Description.Device, clock.Elapsed.TotalMilliseconds);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // any load failure is reported through /healthz and the log, and ends the command
        catch (Exception error)
#pragma warning restore CA1031
        {
            Error = error.Message;
            State = ReadinessState.Failed;
            logger.LogError(error, "loading the model failed: {Message}", error.Message);
        }
    }

    public void Dispose() => _model?.Dispose();
}
