using k8s.Models;

namespace Whetstone.Operator.Runtime.Conditions;

/// <summary>
/// Pure operations on a status' <c>conditions</c> (metav1.Condition semantics): one condition per type,
/// <c>lastTransitionTime</c> changes only when the status flips, and every write records the generation it saw.
/// </summary>
public static class ConditionList
{
    /// <summary>Finds the condition of <paramref name="type"/>, or null.</summary>
    public static V1Condition? Find(IEnumerable<V1Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => string.Equals(c.Type, type, StringComparison.Ordinal));

    /// <summary>True when the condition of <paramref name="type"/> exists with status "True".</summary>
    public static bool IsTrue(IEnumerable<V1Condition>? conditions, string type) =>
        string.Equals(Find(conditions, type)?.Status, "True", StringComparison.Ordinal);

    /// <summary>
    /// Returns a new list with the condition of <paramref name="desired"/>'s type set. When nothing but the
    /// clock would change, the existing condition object is kept as it is, so an unchanged world writes nothing.
    /// </summary>
    public static IList<V1Condition> Set(IEnumerable<V1Condition>? conditions, V1Condition desired, DateTime now)
    {
        var result = conditions?.ToList() ?? [];
        var index = result.FindIndex(c => string.Equals(c.Type, desired.Type, StringComparison.Ordinal));
        if (index < 0)
        {
            result.Add(WithTime(desired, now));
            return result;
        }

        var existing = result[index];
        if (IsSame(existing, desired))
        {
            return result;
        }

        var transitioned = !string.Equals(existing.Status, desired.Status, StringComparison.Ordinal);
        result[index] = WithTime(desired, transitioned ? now : existing.LastTransitionTime);
        return result;
    }

    /// <summary>Whether two condition lists say the same thing (ignoring order).</summary>
    public static bool AreEquivalent(IEnumerable<V1Condition>? left, IEnumerable<V1Condition>? right)
    {
        var a = left?.ToList() ?? [];
        var b = right?.ToList() ?? [];
        return a.Count == b.Count && a.All(x => Find(b, x.Type) is { } y && IsSame(x, y) && x.LastTransitionTime == y.LastTransitionTime);
    }

    private static bool IsSame(V1Condition existing, V1Condition desired) =>
        string.Equals(existing.Status, desired.Status, StringComparison.Ordinal)
        && string.Equals(existing.Reason, desired.Reason, StringComparison.Ordinal)
        && string.Equals(existing.Message, desired.Message, StringComparison.Ordinal)
        && existing.ObservedGeneration == desired.ObservedGeneration;

    private static V1Condition WithTime(V1Condition condition, DateTime at) => new()
    {
        Type = condition.Type,
        Status = condition.Status,
        Reason = condition.Reason,
        Message = condition.Message ?? string.Empty,
        ObservedGeneration = condition.ObservedGeneration,
        LastTransitionTime = at,
    };
}
