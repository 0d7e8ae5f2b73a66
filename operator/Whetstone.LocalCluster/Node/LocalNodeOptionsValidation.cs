using k8s.Models;

namespace Whetstone.LocalCluster.Node;

/// <summary>Checks <see cref="LocalNodeOptions"/> before the node starts, naming the offending field.</summary>
public static class LocalNodeOptionsValidation
{
    /// <summary>Every problem found, each naming its field; empty when the options are usable.</summary>
    public static IReadOnlyList<string> Validate(LocalNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.NodeName))
        {
            problems.Add("NodeName: must not be empty");
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            problems.Add("DataDirectory: must not be empty");
        }

        CheckQuantity(problems, nameof(options.Cpu), options.Cpu);
        CheckQuantity(problems, nameof(options.Memory), options.Memory);
        if (options.GpuSlots < 0)
        {
            problems.Add($"GpuSlots: must be zero or more, got {options.GpuSlots}");
        }

        if (options.MaxPods <= 0)
        {
            problems.Add($"MaxPods: must be positive, got {options.MaxPods}");
        }

        if (string.IsNullOrWhiteSpace(options.GpuResourceName))
        {
            problems.Add("GpuResourceName: must not be empty");
        }

        foreach (var (index, taint) in options.Taints.Index())
        {
            if (string.IsNullOrWhiteSpace(taint.Key))
            {
                problems.Add($"Taints[{index}].Key: must not be empty");
            }

            if (taint.Effect is not ("NoSchedule" or "PreferNoSchedule" or "NoExecute"))
            {
                problems.Add($"Taints[{index}].Effect: must be NoSchedule, PreferNoSchedule or NoExecute, got \"{taint.Effect}\"");
            }
        }

        foreach (var (image, command) in options.Images)
        {
            if (string.IsNullOrWhiteSpace(command.FileName))
            {
                problems.Add($"Images[{image}].FileName: must name the executable that stands in for the image");
            }
        }

        return problems;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem.</summary>
    public static void ThrowIfInvalid(LocalNodeOptions options)
    {
        var problems = Validate(options);
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid local node options: " + string.Join("; ", problems), nameof(options));
        }
    }

    private static void CheckQuantity(List<string> problems, string field, string value)
    {
        try
        {
            if (new ResourceQuantity(value).ToDecimal() <= 0)
            {
                problems.Add($"{field}: must be positive, got \"{value}\"");
            }
        }
#pragma warning disable CA1031 // The quantity parser throws several exception types for bad input; all mean "not a quantity".
        catch (Exception)
#pragma warning restore CA1031
        {
            problems.Add($"{field}: \"{value}\" is not a Kubernetes quantity (for example \"4\", \"500m\", \"8Gi\")");
        }
    }
}
