using Whetstone.ModelRuntime;
using Whetstone.Serving.Inference;

namespace Whetstone.Serving.Tests.Inference;

/// <summary>
/// A long greedy request decodes; once it has streamed a few tokens a short one arrives. Says which finished first
/// and how many tokens the long one had when the short one was answered.
/// </summary>
internal static class LongAndShortRace
{
    public const int LongTokens = 200;

    public static async Task<(bool ShortFinishedFirst, int LongTokensWhenShortFinished)> RunAsync(IGenerationQueue queue, TinyLanguageModelFixture model)
    {
        var longTokens = 0;
        var longStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var longWork = new GenerationWork(model.Encode("The app crashes when I open settings"), new SamplingOptions(LongTokens), partial =>
        {
            Volatile.Write(ref longTokens, partial.TokenIds.Count);
            if (partial.TokenIds.Count == 5)
            {
                longStarted.TrySetResult();
            }
        });
        var longAnswer = queue.SubmitAsync(longWork, CancellationToken.None);
        await longStarted.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var shortAnswer = await queue.SubmitAsync(new GenerationWork(model.Encode("hello"), new SamplingOptions(3), null), CancellationToken.None);
        var tokensThen = Volatile.Read(ref longTokens);
        var finishedFirst = !longAnswer.IsCompleted;
        var longResult = await longAnswer.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(LongTokens, longResult.Value.TokenIds.Count);
        Assert.Equal(3, shortAnswer.Value.TokenIds.Count);
        return (finishedFirst, tokensThen);
    }
}
