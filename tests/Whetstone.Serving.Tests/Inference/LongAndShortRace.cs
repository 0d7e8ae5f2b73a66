using Whetstone.ModelRuntime;
using Whetstone.Serving.Batching;
using Whetstone.Serving.Inference;

namespace Whetstone.Serving.Tests.Inference;

/// <summary>
/// A long greedy request decodes; when it streams its fifth token a short one is submitted (from the streaming
/// callback, so at a known step whatever the machine's load). Says which finished first and how many tokens the long
/// one had when the short one was answered.
/// </summary>
internal static class LongAndShortRace
{
    public const int LongTokens = 200;

    public static async Task<(bool ShortFinishedFirst, int LongTokensWhenShortFinished)> RunAsync(IGenerationQueue queue, TinyLanguageModelFixture model)
    {
        var longTokens = 0;
        var shortWork = new GenerationWork(model.Encode("hello"), new SamplingOptions(3), null);
        var shortSubmitted = new TaskCompletionSource<Task<BatchedResult<GenerationResult>>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var longWork = new GenerationWork(model.Encode("The app crashes when I open settings"), new SamplingOptions(LongTokens), partial =>
        {
            Volatile.Write(ref longTokens, partial.TokenIds.Count);
            if (partial.TokenIds.Count == 5)
            {
                shortSubmitted.SetResult(queue.SubmitAsync(shortWork, CancellationToken.None));
            }
        });
        var longAnswer = queue.SubmitAsync(longWork, CancellationToken.None);

        var shortAnswer = await (await shortSubmitted.Task.WaitAsync(TimeSpan.FromSeconds(20))).WaitAsync(TimeSpan.FromSeconds(20));
        var tokensThen = Volatile.Read(ref longTokens);
        var finishedFirst = !longAnswer.IsCompleted;
        var longResult = await longAnswer.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(LongTokens, longResult.Value.TokenIds.Count);
        Assert.Equal(3, shortAnswer.Value.TokenIds.Count);
        return (finishedFirst, tokensThen);
    }
}
