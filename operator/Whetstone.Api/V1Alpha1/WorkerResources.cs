using k8s.Models;
using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>What a worker pod asks for and where it may run.</summary>
public sealed record WorkerResources
{
    /// <summary>GPUs for the worker.</summary>
    public GpuResources? Gpu { get; set; }

    /// <summary>CPU request and limit (a quantity such as <c>"4"</c> or <c>"500m"</c>).</summary>
    [IntOrString]
    [Pattern(Patterns.Quantity)]
    public ResourceQuantity? Cpu { get; set; }

    /// <summary>Memory request and limit (a quantity such as <c>"32Gi"</c>).</summary>
    [IntOrString]
    [Pattern(Patterns.Quantity)]
    public ResourceQuantity? Memory { get; set; }

    /// <summary>Node labels the worker pod must match.</summary>
    public IDictionary<string, string>? NodeSelector { get; set; }

    /// <summary>Tolerations of the worker pod (for tainted GPU nodes).</summary>
    public IList<V1Toleration>? Tolerations { get; set; }

    /// <summary>PriorityClass of the worker pod.</summary>
    [Length(Max = 253)]
    public string? PriorityClassName { get; set; }
}
