namespace Whetstone.Schema;

/// <summary>How <see cref="CrdSchemaValidator.Validate"/> treats unknown fields and defaults.</summary>
/// <param name="UnknownFields">Prune (the Kubernetes default) or reject fields the schema does not declare.</param>
/// <param name="ApplyDefaults">Whether schema <c>default</c> values are filled in before validation.</param>
public sealed record SchemaValidationOptions(UnknownFieldHandling UnknownFields = UnknownFieldHandling.Prune,
                                             bool ApplyDefaults = true);
