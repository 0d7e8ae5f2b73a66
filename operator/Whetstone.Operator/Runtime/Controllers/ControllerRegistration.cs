namespace Whetstone.Operator.Runtime.Controllers;

/// <summary>A controller registered with the host: how to build its runner once the operator leads.</summary>
public sealed record ControllerRegistration(Type EntityType, Func<IServiceProvider, IControllerRun> Create);

/// <summary>A runnable controller (the non-generic face of <see cref="ControllerRunner{TEntity}"/>).</summary>
public interface IControllerRun : IAsyncDisposable
{
    /// <summary>Runs until cancelled.</summary>
    Task RunAsync(CancellationToken cancellationToken);

    /// <summary>Requests a reconcile of <c>namespace/name</c>.</summary>
    void Enqueue(string key);
}
