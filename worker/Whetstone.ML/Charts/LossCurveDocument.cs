using Whetstone.ML.Monitoring;

namespace Whetstone.ML.Charts;

/// <summary>The loss curve artifact (lossCurve in api.md): every point of the run and where validation was best.</summary>
/// <param name="Points">Every loss point, in step order.</param>
/// <param name="BestValidationStep">Step of the lowest validation loss, or null when validation never ran.</param>
/// <param name="BestValidationLoss">The lowest validation loss, or null.</param>
public sealed record LossCurveDocument(IReadOnlyList<LossPoint> Points, long? BestValidationStep, double? BestValidationLoss)
{
    /// <summary>Builds the document from a curve, finding the best validation point.</summary>
    public static LossCurveDocument FromPoints(IReadOnlyList<LossPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var best = points.Where(p => p.ValidationLoss is { } loss && double.IsFinite(loss)).MinBy(p => p.ValidationLoss);
        return new LossCurveDocument(points, best?.Step, best?.ValidationLoss);
    }
}
