using System.Reflection;
using k8s.Models;
using Whetstone.Api;

namespace Whetstone.Operator.Workers;

/// <summary>
/// A job another job's spec names (a <c>fineTuneJobRef</c>, a <c>compressionJobRef</c>, …), as data: the
/// <see cref="ReferenceResolver"/> waits for it to succeed and <see cref="WorkerAccess"/> lets the worker read it.
/// </summary>
/// <param name="Field">The spec field that names it, for messages (<c>spec.baseModel.fineTuneJobRef</c>).</param>
/// <param name="Group">The referenced kind's API group.</param>
/// <param name="Version">The referenced kind's API version.</param>
/// <param name="Plural">The referenced kind's resource plural.</param>
/// <param name="Kind">The referenced kind.</param>
/// <param name="Name">The referenced object, in the referring job's namespace.</param>
public sealed record JobReference(string Field, string Group, string Version, string Plural, string Kind, string Name)
{
    /// <summary>
    /// The condition reason while the referenced job exists but has not succeeded:
    /// <see cref="ConditionReasons.ReferenceNotReady"/>, or <see cref="ConditionReasons.WaitingForSource"/> for a job
    /// whose output (a model or dataset) this job reads.
    /// </summary>
    public string WaitingReason { get; init; } = ConditionReasons.ReferenceNotReady;

    /// <summary>A reference to a <typeparamref name="TJob"/> whose output (a model or a dataset) this job reads.</summary>
    public static JobReference Source<TJob>(string field, string name) =>
        To<TJob>(field, name) with { WaitingReason = ConditionReasons.WaitingForSource };

    /// <summary>A reference to a <typeparamref name="TJob"/> named <paramref name="name"/>, from <paramref name="field"/>.</summary>
    public static JobReference To<TJob>(string field, string name)
    {
        var entity = typeof(TJob).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{typeof(TJob).Name} has no [KubernetesEntity] attribute");
        return new JobReference(field, entity.Group, entity.ApiVersion, entity.PluralName, entity.Kind, name);
    }
}
