namespace Whetstone.Worker.Jobs;

/// <summary>One attempt of a worker job as its kind runs it inside <see cref="WorkerJobCommand"/>.</summary>
internal interface IWorkerJobAttempt
{
    /// <summary>Does the work; returns one of <see cref="WorkerExitCodes"/>. Expected failures throw <see cref="JobFailureException"/>.</summary>
    Task<int> RunAsync(CancellationToken cancellationToken);

    /// <summary>Records in status that the attempt failed with <paramref name="message"/>, before the termination message is written.</summary>
    void RecordFailure(string message)
    {
    }
}
