using Whetstone.Api;

namespace Whetstone.Worker.Jobs;

/// <summary>The condition reasons a kind records when a referenced job is missing, failed, or not finished.</summary>
internal sealed record ReferenceFailureReasons(string NotFound, string Failed, string NotReady)
{
    /// <summary>ReferenceNotFound, ReferenceFailed, ReferenceNotReady.</summary>
    public static ReferenceFailureReasons Default { get; } = new(ConditionReasons.ReferenceNotFound, ConditionReasons.ReferenceFailed, ConditionReasons.ReferenceNotReady);

    /// <summary>One reason for every case.</summary>
    public static ReferenceFailureReasons All(string reason) => new(reason, reason, reason);
}
