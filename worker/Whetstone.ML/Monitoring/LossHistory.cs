namespace Whetstone.ML.Monitoring;

/// <summary>
/// The whole loss curve of a run, plus the bounded view the job status carries.
/// A validation loss measured at the same step as a training loss is merged into that step's point.
/// </summary>
public sealed class LossHistory
{
    /// <summary>The largest number of points the job status carries (api.md: lossHistory is ≤ 100 points).</summary>
    public const int DefaultMaxStatusPoints = 100;

    private readonly List<LossPoint> _points = [];

    /// <summary>Creates an empty history.</summary>
    public LossHistory()
    {
    }

    /// <summary>Creates a history holding <paramref name="points"/> (for example read back from a checkpoint).</summary>
    public LossHistory(IEnumerable<LossPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        this._points.AddRange(points);
    }

    /// <summary>Every point, in step order.</summary>
    public IReadOnlyList<LossPoint> Points => _points;

    /// <summary>Records the training loss of <paramref name="step"/>.</summary>
    public void AddTrainLoss(long step, double loss) => Merge(step, loss, null);

    /// <summary>Records the validation loss of <paramref name="step"/>.</summary>
    public void AddValidationLoss(long step, double loss) => Merge(step, null, loss);

    /// <summary>At most <paramref name="maxPoints"/> points, evenly spread, keeping the first and the last.</summary>
    public IReadOnlyList<LossPoint> ToBounded(int maxPoints = DefaultMaxStatusPoints) => LossHistoryDownsampler.Downsample(_points, maxPoints);

    private void Merge(long step, double? train, double? validation)
    {
        if (_points.Count > 0 && _points[^1].Step > step)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"Loss points must arrive in step order; the last one was step {_points[^1].Step}.");
        }

        if (_points.Count > 0 && _points[^1].Step == step)
        {
            var last = _points[^1];
            _points[^1] = last with { TrainLoss = train ?? last.TrainLoss, ValidationLoss = validation ?? last.ValidationLoss };
            return;
        }

        _points.Add(new LossPoint(step, train, validation));
    }
}
