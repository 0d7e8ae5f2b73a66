namespace Whetstone.Api.V1Alpha1;

/// <summary>One point of the loss curve.</summary>
public sealed record LossPoint
{
    /// <summary>Optimizer step.</summary>
    public long? Step { get; set; }

    /// <summary>Epoch the step belongs to, from 1.</summary>
    public int? Epoch { get; set; }

    /// <summary>Training loss at the step.</summary>
    public double? TrainLoss { get; set; }

    /// <summary>Validation loss, when the step was an evaluation step.</summary>
    public double? ValidationLoss { get; set; }
}
