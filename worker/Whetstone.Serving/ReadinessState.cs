namespace Whetstone.Serving;

/// <summary>Where a server is on its way to serving.</summary>
public enum ReadinessState
{
    /// <summary>Fetching and loading the model.</summary>
    Loading,

    /// <summary>Loaded; running the warm-up batch.</summary>
    WarmingUp,

    /// <summary>Loaded and warmed up: <c>/readyz</c> answers 200.</summary>
    Ready,

    /// <summary>Loading or warm-up failed; <c>/healthz</c> answers 503.</summary>
    Failed,
}
