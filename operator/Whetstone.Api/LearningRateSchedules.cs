namespace Whetstone.Api;

/// <summary>Values of <c>hyperparameters.lrSchedule</c>.</summary>
public static class LearningRateSchedules
{
    /// <summary>The learning rate stays fixed after warm-up.</summary>
    public const string Constant = "constant";

    /// <summary>Linear decay to zero after warm-up.</summary>
    public const string Linear = "linear";

    /// <summary>Cosine decay to zero after warm-up.</summary>
    public const string Cosine = "cosine";

    /// <summary>Every value, in the order the schema lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Constant, Linear, Cosine];
}
