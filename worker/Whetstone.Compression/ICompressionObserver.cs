namespace Whetstone.Compression;

/// <summary>Hears what a compression run does, for status and the console.</summary>
public interface ICompressionObserver
{
    /// <summary>A step began.</summary>
    void StepStarted(int index, string name);

    /// <summary>A step finished and was measured (called again when fallback re-runs it).</summary>
    void StepFinished(StepOutcome outcome);

    /// <summary>A line for humans.</summary>
    void Say(string message);
}
