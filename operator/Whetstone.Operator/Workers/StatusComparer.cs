using k8s;

namespace Whetstone.Operator.Workers;

/// <summary>Compares two status objects by their serialized form, so an unchanged status is never written.</summary>
public static class StatusComparer
{
    /// <summary>True when both serialize to the same JSON (two nulls are equal).</summary>
    public static bool AreEqual<T>(T? left, T? right)
        where T : class =>
        (left, right) switch
        {
            (null, null) => true,
            (null, _) or (_, null) => false,
            _ => string.Equals(KubernetesJson.Serialize(left), KubernetesJson.Serialize(right), StringComparison.Ordinal),
        };
}
