using System.Globalization;

namespace Whetstone.ML.Monitoring;

/// <summary>
/// Watches training and validation losses as they arrive: fails fast on divergence (NaN/Inf, or a loss above
/// maxLossIncrease × its best so far) and stops early when the validation loss stops improving.
/// Decisions are values (<see cref="MonitorVerdict"/>), never exceptions.
/// </summary>
public sealed class LossMonitor
{
    private readonly EarlyStoppingOptions? _earlyStopping;
    private readonly DivergenceOptions? _divergence;

    /// <summary>Creates a monitor; a null option turns that check off.</summary>
    public LossMonitor(EarlyStoppingOptions? earlyStopping, DivergenceOptions? divergence, LossMonitorState? state = null)
    {
        earlyStopping?.Validate();
        divergence?.Validate();
        this._earlyStopping = earlyStopping;
        this._divergence = divergence;
        State = state ?? LossMonitorState.Initial;
    }

    /// <summary>What the monitor remembers; save it with a checkpoint and pass it back on resume.</summary>
    public LossMonitorState State { get; private set; }

    /// <summary>Checks a training loss for divergence.</summary>
    public MonitorVerdict ObserveTrainLoss(long step, double loss)
    {
        var best = State.BestTrainLoss;
        var diverged = CheckDivergence("training", step, loss, best);
        if (diverged is not null)
        {
            return diverged;
        }

        State = State with { BestTrainLoss = best is null ? loss : Math.Min(best.Value, loss) };
        return MonitorVerdict.Continue(step, loss, best);
    }

    /// <summary>Checks a validation loss for divergence, then for a plateau (early stopping).</summary>
    public MonitorVerdict ObserveValidationLoss(long step, double loss)
    {
        var best = State.BestValidationLoss;
        var diverged = CheckDivergence("validation", step, loss, best);
        if (diverged is not null)
        {
            return diverged;
        }

        var minDelta = _earlyStopping?.MinDelta ?? 0;
        if (best is null || loss < best.Value - minDelta)
        {
            State = State with { BestValidationLoss = loss, BestValidationStep = step, EvaluationsWithoutImprovement = 0 };
            return MonitorVerdict.Continue(step, loss, best);
        }

        // A small improvement (within minDelta) still moves the best point, but does not reset patience.
        var newBest = loss < best.Value ? loss : best.Value;
        var bestStep = loss < best.Value ? step : State.BestValidationStep;
        State = State with { BestValidationLoss = newBest, BestValidationStep = bestStep, EvaluationsWithoutImprovement = State.EvaluationsWithoutImprovement + 1 };
        if (_earlyStopping is not null && State.EvaluationsWithoutImprovement >= _earlyStopping.Patience)
        {
            var message = string.Create(CultureInfo.InvariantCulture,
                $"Validation loss has not improved by more than {_earlyStopping.MinDelta} for {State.EvaluationsWithoutImprovement} evaluations (best {State.BestValidationLoss:G6} at step {State.BestValidationStep}); stopped early at step {step}.");
            return new MonitorVerdict(MonitorVerdictKind.EarlyStopped, step, loss, best, message);
        }

        return MonitorVerdict.Continue(step, loss, best);
    }

    private MonitorVerdict? CheckDivergence(string kind, long step, double loss, double? best)
    {
        if (_divergence is null)
        {
            return null;
        }

        if (double.IsNaN(loss) || double.IsInfinity(loss))
        {
            return new MonitorVerdict(MonitorVerdictKind.Diverged, step, loss, best,
                string.Create(CultureInfo.InvariantCulture, $"The {kind} loss became {loss} at step {step}."));
        }

        if (best is not null && loss > _divergence.MaxLossIncrease * best.Value)
        {
            return new MonitorVerdict(MonitorVerdictKind.Diverged, step, loss, best,
                string.Create(CultureInfo.InvariantCulture,
                    $"The {kind} loss rose to {loss:G6} at step {step}, more than {_divergence.MaxLossIncrease}× its best so far ({best.Value:G6})."));
        }

        return null;
    }
}
