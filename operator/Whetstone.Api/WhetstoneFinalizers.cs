namespace Whetstone.Api;

/// <summary>Finalizer names.</summary>
public static class WhetstoneFinalizers
{
    /// <summary>
    /// Added to every Whetstone object so the operator can stop worker pods and serving before the object goes.
    /// Artifacts are never deleted by it.
    /// </summary>
    public const string Cleanup = "whetstone.dev/cleanup";
}
