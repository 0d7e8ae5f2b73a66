namespace Whetstone.Api.Workers;

/// <summary>Annotations the operator puts on worker pods to remember what an attempt was started with.</summary>
public static class WorkerAnnotations
{
    /// <summary>The attempt number.</summary>
    public const string Attempt = "whetstone.dev/attempt";

    /// <summary>The job generation the attempt was built from.</summary>
    public const string Generation = "whetstone.dev/generation";
}
