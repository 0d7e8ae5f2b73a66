namespace Whetstone.Api.V1Alpha1;

/// <summary>Split traffic by replica counts behind one Service (when there is no gateway): coarse, but needs nothing.</summary>
public sealed record ReplicaRatioRouting;
