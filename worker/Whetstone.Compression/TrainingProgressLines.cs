using System.Globalization;
using Whetstone.ML.Training;

namespace Whetstone.Compression;

/// <summary>Progress of a training step as console/status lines: about ten per run, and the last step.</summary>
internal sealed class TrainingProgressLines(string prefix, Action<string> say) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value)
    {
        var every = Math.Max(1, value.TotalSteps / 10);
        if (value.Step % every != 0 && value.Step != value.TotalSteps)
        {
            return;
        }
        var validation = value.ValidationLoss is { } loss ? loss.ToString("F4", CultureInfo.InvariantCulture) : "-";
        say(string.Create(CultureInfo.InvariantCulture,
            $"{prefix}: step {value.Step}/{value.TotalSteps} (epoch {value.Epoch}, {value.Percent:F0} %), train loss {value.TrainLoss:F4}, validation loss {validation}, {value.TokensPerSecond:F0} tokens/s, ETA {value.EtaSeconds:F0} s"));
    }
}
