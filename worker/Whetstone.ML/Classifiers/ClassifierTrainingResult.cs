namespace Whetstone.ML.Classifiers;

/// <summary>What <see cref="ClassifierTrainer.Train"/> produced.</summary>
/// <param name="Model">The model at its best validation epoch; the caller disposes it.</param>
/// <param name="Split">Which rows went where.</param>
/// <param name="EpochsRun">Epochs trained before stopping.</param>
/// <param name="BestEpoch">The epoch whose weights were kept (lowest validation loss).</param>
/// <param name="ValidationLosses">Validation loss after each epoch.</param>
/// <param name="StopReason">Why training ended, for humans.</param>
/// <param name="Validation">The kept model on the validation rows.</param>
/// <param name="Test">The kept model on the test rows.</param>
/// <param name="Elapsed">Wall-clock training time, evaluation included.</param>
public sealed record ClassifierTrainingResult(
    MlpClassifier Model,
    DatasetSplit Split,
    int EpochsRun,
    int BestEpoch,
    IReadOnlyList<double> ValidationLosses,
    string StopReason,
    ClassifierEvaluation Validation,
    ClassifierEvaluation Test,
    TimeSpan Elapsed);
