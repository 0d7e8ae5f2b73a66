using Whetstone.Serving.Batching;
using Whetstone.Serving.Inference;

namespace Whetstone.Serving.Tests.Inference;

/// <summary>Request-level batching (ONNX Runtime, or continuous batching turned off): what continuous batching fixes.</summary>
public sealed class WholeRequestBatcherTest(TinyLanguageModelFixture model) : IClassFixture<TinyLanguageModelFixture>
{
    [Fact]
    public async Task A_short_request_arriving_while_a_long_one_decodes_waits_for_the_long_one()
    {
        using var batcher = new WholeRequestBatcher(model.Runner, new BatchingOptions(8, TimeSpan.FromMilliseconds(5), 16), null);

        var (shortFinishedFirst, longTokens) = await LongAndShortRace.RunAsync(batcher, model);

        Assert.False(shortFinishedFirst, "request-level batching let the short request overtake the long one");
        Assert.Equal(LongAndShortRace.LongTokens, longTokens);
    }
}
