using Xunit.Abstractions;

namespace Whetstone.Compression.Tests;

/// <summary>Keeps what a pipeline reported, and echoes it to the test output.</summary>
internal sealed class RecordingObserver(ITestOutputHelper? output = null) : ICompressionObserver
{
    public List<StepOutcome> Finished { get; } = [];

    public List<string> Lines { get; } = [];

    public void StepStarted(int index, string name) => Lines.Add($"start {index} {name}");

    public void StepFinished(StepOutcome outcome) => Finished.Add(outcome);

    public void Say(string message)
    {
        Lines.Add(message);
        output?.WriteLine(message);
    }
}
