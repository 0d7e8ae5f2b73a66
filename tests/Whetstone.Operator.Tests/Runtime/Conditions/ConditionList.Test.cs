using k8s.Models;
using Whetstone.Operator.Runtime.Conditions;

namespace Whetstone.Operator.Tests.Runtime.Conditions;

public sealed class ConditionListTest
{
    private static readonly DateTime T0 = new(2026, 11, 1, 10, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime T1 = T0.AddMinutes(5);

    private static V1Condition Condition(string status, string reason, long generation = 1, string message = "m") =>
        new() { Type = "Ready", Status = status, Reason = reason, Message = message, ObservedGeneration = generation };

    [Fact]
    public void A_new_condition_gets_the_current_time_as_its_transition_time()
    {
        var list = ConditionList.Set(null, Condition("False", "Pending"), T0);
        Assert.Equal(T0, Assert.Single(list).LastTransitionTime);
    }

    [Fact]
    public void Same_status_with_a_new_reason_keeps_the_transition_time()
    {
        var list = ConditionList.Set(null, Condition("False", "Pending"), T0);
        list = ConditionList.Set(list, Condition("False", "Queued"), T1);
        var condition = Assert.Single(list);
        Assert.Equal("Queued", condition.Reason);
        Assert.Equal(T0, condition.LastTransitionTime);
    }

    [Fact]
    public void A_status_flip_moves_the_transition_time()
    {
        var list = ConditionList.Set(null, Condition("False", "Pending"), T0);
        list = ConditionList.Set(list, Condition("True", "Running"), T1);
        Assert.Equal(T1, Assert.Single(list).LastTransitionTime);
        Assert.True(ConditionList.IsTrue(list, "Ready"));
    }

    [Fact]
    public void Setting_an_identical_condition_changes_nothing()
    {
        var before = ConditionList.Set(null, Condition("True", "Running"), T0);
        var after = ConditionList.Set(before, Condition("True", "Running"), T1);
        Assert.True(ConditionList.AreEquivalent(before, after));
        Assert.Same(before[0], after[0]);
    }

    [Fact]
    public void A_new_generation_is_recorded_without_a_transition()
    {
        var list = ConditionList.Set(null, Condition("True", "Running", generation: 1), T0);
        list = ConditionList.Set(list, Condition("True", "Running", generation: 2), T1);
        var condition = Assert.Single(list);
        Assert.Equal(2, condition.ObservedGeneration);
        Assert.Equal(T0, condition.LastTransitionTime);
    }
}
