namespace Whetstone.Serving.Feedback;

/// <summary>A request id read back: who served it, or why it cannot be used.</summary>
/// <param name="ServedBy">Rollout, track and version that served the request; null when invalid.</param>
/// <param name="Error">Why the id was refused; null when valid.</param>
public sealed record RequestIdParse(ServingIdentity? ServedBy, string? Error)
{
    public static RequestIdParse Valid(ServingIdentity servedBy) => new(servedBy, null);

    public static RequestIdParse Invalid(string error) => new(null, error);
}
