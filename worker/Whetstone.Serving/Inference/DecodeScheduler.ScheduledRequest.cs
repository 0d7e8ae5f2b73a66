using System.Diagnostics;
using Whetstone.ModelRuntime;
using Whetstone.ModelRuntime.Generation;
using Whetstone.Serving.Batching;

namespace Whetstone.Serving.Inference;

/// <summary>One request of the scheduler: its row in the batch, its completion and its place in the queue.</summary>
internal sealed partial class DecodeScheduler
{
    private sealed class ScheduledRequest(DecodeScheduler owner, GenerationWork work, DecodingRow row, CancellationToken cancellationToken)
    {
        private long _admittedAt;
        private int _batchSize;

        public GenerationWork Work { get; } = work;

        public DecodingRow Row { get; } = row;

        public long EnqueuedAt { get; } = Stopwatch.GetTimestamp();

        public TaskCompletionSource<BatchedResult<GenerationResult>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Its node while queued (guarded by the scheduler's gate).</summary>
        public LinkedListNode<ScheduledRequest>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }

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
            lock (owner._gate)
            {
                if (Node is { List: not null })
                {
                    owner._queue.Remove(Node);
                    Node = null;
                }
            }
            Row.Leave();
            Completion.TrySetCanceled(cancellationToken);
        }
    }
}
