namespace Whetstone.Measurement.Tests;

/// <summary>A clock that moves only when told, in whole milliseconds.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => ticks;

    public void Advance(double milliseconds) => ticks += (long)(milliseconds * TimeSpan.TicksPerMillisecond);
}
