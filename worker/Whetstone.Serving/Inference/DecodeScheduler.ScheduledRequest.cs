using System.Diagnostics;
using Whetstone.ModelRuntime;
using Whetstone.ModelRuntime.Generation;
using Whetstone.Serving.Batching;

namespace Whetstone.Serving.Inference;

/// <summary>One request of the scheduler: its row in the batch, its completion and its place in the queue.</summary>
internal sealed partial class DecodeScheduler
{
    private sealed class ScheduledRequest(DecodeScheduler owner, GenerationWork work, DecodingRow row, CancellationToken cancellationToken)
        : QueuedRequest<ScheduledRequest>
    {
        private long _admittedAt;
        private int _batchSize;

        public GenerationWork Work { get; } = work;

        public DecodingRow Row { get; } = row;

        public TaskCompletionSource<BatchedResult<GenerationResult>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Admit(long timestamp, int batchSize) => (_admittedAt, _batchSize) = (timestamp, batchSize);

        /// <summary>Answers the request; returns the seconds from admission to answer.</summary>
        public double Complete(GenerationResult result)
        {
            var queued = (double)(_admittedAt - EnqueuedAt) / Stopwatch.Frequency;
            var seconds = Stopwatch.GetElapsedTime(_admittedAt).TotalSeconds;
            Completion.TrySetResult(new BatchedResult<GenerationResult>(result, queued, seconds, _batchSize));
            Registration.Unregister();
            return seconds;
        }

        public void Abandon(Exception? error)
        {
            Row.Leave();
            _ = error is null ? Completion.TrySetCanceled() : Completion.TrySetException(error);
            Registration.Unregister();
        }

        /// <summary>The client left or the deadline passed: out of the queue, or its row out of the batch.</summary>
        public void Cancel()
        {
            owner._queue.Withdraw(this);
            Row.Leave();
            Completion.TrySetCanceled(cancellationToken);
        }
    }
}
