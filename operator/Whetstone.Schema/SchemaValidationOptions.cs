namespace Whetstone.Schema;

/// <summary>How <see cref="CrdSchemaValidator.Validate"/> treats unknown fields and defaults.</summary>
/// <param name="UnknownFields">Prune (the Kubernetes default) or reject fields the schema does not declare.</param>
/// <param name="ApplyDefaults">Whether schema <c>default</c> values are filled in before validation.</param>
public sealed record SchemaValidationOptions(UnknownFieldHandling UnknownFields = UnknownFieldHandling.Prune,
                                             bool ApplyDefaults = true)
{
    /// <summary>
    /// On update, skip the checks of values that equal their old value (kube-apiserver's CRD validation
    /// ratcheting, on by default since Kubernetes 1.30), so a stored object that a newer schema would refuse can
    /// still be updated in its other fields. Rules reading <c>oldSelf</c> always run.
    /// </summary>
    public bool RatchetUnchangedValues { get; init; } = true;
}
