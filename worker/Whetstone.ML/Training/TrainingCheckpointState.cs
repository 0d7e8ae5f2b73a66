using Whetstone.ML.Monitoring;

namespace Whetstone.ML.Training;

/// <summary>The non-tensor part of a checkpoint (state.json): where the run is and what it has seen.</summary>
/// <param name="FormatVersion">Checkpoint layout version.</param>
/// <param name="Step">Optimizer steps done; also fixes the data position (epoch = step / stepsPerEpoch).</param>
/// <param name="TotalSteps">Steps planned, to detect resuming with different options.</param>
/// <param name="StepsPerEpoch">Optimizer steps per epoch, to detect a different data set.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="TokensProcessed">Real training tokens processed so far.</param>
/// <param name="WallSeconds">Training seconds so far.</param>
/// <param name="LastTrainLoss">Training loss of the last step.</param>
/// <param name="LastValidationLoss">Latest validation loss.</param>
/// <param name="Monitor">The loss monitor's memory (best losses, patience).</param>
/// <param name="LossCurve">The full loss curve so far.</param>
/// <param name="TrainableParameters">Names of the tensors in trainable.bin, in order.</param>
/// <param name="GradientScaler">The fp16 loss scaler's state; null for runs without loss scaling.</param>
public sealed record TrainingCheckpointState(
    int FormatVersion,
    long Step,
    long TotalSteps,
    long StepsPerEpoch,
    int Seed,
    long TokensProcessed,
    double WallSeconds,
    double? LastTrainLoss,
    double? LastValidationLoss,
    LossMonitorState Monitor,
    IReadOnlyList<LossPoint> LossCurve,
    IReadOnlyList<string> TrainableParameters,
    GradientScalerState? GradientScaler = null);
