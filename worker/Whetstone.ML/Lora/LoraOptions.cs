namespace Whetstone.ML.Lora;

/// <summary>LoRA hyperparameters (api.md: method.lora).</summary>
/// <param name="Rank">Rank r of the update B·A; must be ≥ 1.</param>
/// <param name="Alpha">Scale numerator: the update is multiplied by alpha / r.</param>
/// <param name="Dropout">Dropout applied to the adapter's input while training, in [0, 1).</param>
/// <param name="TargetModules">Last segments of the names of the Linear modules to adapt (q_proj, v_proj, ...).</param>
public sealed record LoraOptions(int Rank, double Alpha, double Dropout, IReadOnlyList<string> TargetModules)
{
    /// <summary>The module names a Llama-style model has, for "adapt every projection".</summary>
    public static IReadOnlyList<string> AllLlamaProjections { get; } = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    /// <summary>alpha / rank, the factor the adapter output is multiplied by.</summary>
    public double Scaling => Alpha / Rank;

    /// <summary>Throws a clear error naming the field when a value is out of range.</summary>
    public void Validate()
    {
        if (Rank < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Rank), Rank, "method.lora.rank must be at least 1.");
        }

        if (!(Alpha > 0) || double.IsInfinity(Alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "method.lora.alpha must be a finite number greater than 0.");
        }

        if (!(Dropout >= 0 && Dropout < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "method.lora.dropout must be at least 0 and less than 1.");
        }

        if (TargetModules is null || TargetModules.Count == 0 || TargetModules.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("method.lora.targetModules must list at least one module name, none empty.", nameof(TargetModules));
        }
    }
}
