namespace Whetstone.Serving;

/// <summary>What a server serves, as the metrics and the response headers name it.</summary>
/// <param name="Rollout">The ModelRollout it belongs to (<c>""</c> outside a rollout).</param>
/// <param name="Track">The rollout track (<c>stable</c>, <c>canary</c>, or any A/B name).</param>
/// <param name="Version">The model version served.</param>
public sealed record ServingIdentity(string Rollout, string Track, string Version);
