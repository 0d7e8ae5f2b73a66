using System.Globalization;
using TrainingProgress = Whetstone.ML.Training.TrainingProgress;

namespace Whetstone.Worker.FineTuning;

/// <summary>
/// A progress line at a steady time interval while training runs (default every 30 s,
/// <c>WHETSTONE_PROGRESS_INTERVAL_SECONDS</c> to change it): step/total, epoch, losses, speed and ETA of the latest
/// step. The console's progress bar prints lines only at 25/50/75 % when the output is not a terminal, so a pod's
/// log would otherwise be silent for a quarter of the run. The clock is a <see cref="TimeProvider"/>, so tests move it.
/// </summary>
internal sealed class TimedProgressLog : IProgress<TrainingProgress>, IDisposable
{
    /// <summary>The environment variable that sets the interval in seconds.</summary>
    public const string IntervalVariable = "WHETSTONE_PROGRESS_INTERVAL_SECONDS";

    /// <summary>The interval when <see cref="IntervalVariable"/> is not set.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly TimeSpan _interval;
    private readonly Action<string> _write;
    private readonly ITimer _timer;
    private TrainingProgress? _latest;
    private bool _disposed;

    /// <summary>Starts the clock: the first line comes one <paramref name="interval"/> after the first step is reported.</summary>
    /// <param name="interval">Time between two lines.</param>
    /// <param name="time">The clock.</param>
    /// <param name="write">Writes one line (the worker's console).</param>
    public TimedProgressLog(TimeSpan interval, TimeProvider time, Action<string> write)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        _interval = interval;
        _write = write;
        _timer = time.CreateTimer(_ => Tick(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The interval from <see cref="IntervalVariable"/>'s <paramref name="value"/>: unset or empty gives <see cref="DefaultInterval"/>.</summary>
    /// <exception cref="ArgumentException">The value is not a positive number of seconds; the message names the variable.</exception>
    public static TimeSpan IntervalFrom(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return DefaultInterval;
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : throw new ArgumentException($"{IntervalVariable}: '{value}' is not a positive number of seconds");
    }

    /// <summary>
    /// One progress line, for example <c>step 40/88 (45%), epoch 2: loss 2.4140, val 2.2480, ETA 1m05s, 2807 tokens/s</c>
    /// (training loss of the step, latest validation loss): short, because the console wraps lines at 80 columns when
    /// its output is not a terminal.
    /// </summary>
    public static string Line(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var validation = value.ValidationLoss is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-";
        return string.Create(CultureInfo.InvariantCulture,
            $"step {value.Step}/{value.TotalSteps} ({Math.Floor(value.Percent):F0}%), epoch {value.Epoch}: loss {value.TrainLoss:F4}, val {validation}, "
            + $"ETA {Duration(value.EtaSeconds)}, {value.TokensPerSecond:F0} tokens/s");
    }

    /// <summary>Keeps the step's progress for the next line; the first report starts the interval.</summary>
    public void Report(TrainingProgress value)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (_latest is null)
            {
                _timer.Change(_interval, _interval);
            }

            _latest = value;
        }
    }

    /// <summary>Stops the clock; no line is written after this.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _timer.Dispose();
    }

    private static string Duration(double seconds)
    {
        var total = (long)Math.Round(Math.Max(0, double.IsFinite(seconds) ? seconds : 0));
        return total switch
        {
            >= 3600 => string.Create(CultureInfo.InvariantCulture, $"{total / 3600}h{total % 3600 / 60:D2}m"),
            >= 60 => string.Create(CultureInfo.InvariantCulture, $"{total / 60}m{total % 60:D2}s"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{total}s"),
        };
    }

    private void Tick()
    {
        lock (_gate)
        {
            if (!_disposed && _latest is { } latest)
            {
                _write(Line(latest));
            }
        }
    }
}
