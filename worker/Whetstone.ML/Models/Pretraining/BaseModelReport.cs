namespace Whetstone.ML.Models.Pretraining;

/// <summary>How a base model was made, written beside it as <c>whetstone-base-model.json</c>.</summary>
public sealed record BaseModelReport(
    string Size,
    int Seed,
    long Parameters,
    int VocabularySize,
    int CorpusDocuments,
    int CorpusTokens,
    int Steps,
    int SequenceLength,
    int BatchSize,
    double LearningRate,
    double FirstStepLoss,
    double LastStepsMeanLoss,
    double HeldOutLossBefore,
    double HeldOutLossAfter,
    double TrainingSeconds,
    double FactAccuracy,
    int TorchThreads,
    string Command);
