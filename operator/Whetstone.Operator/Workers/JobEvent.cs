namespace Whetstone.Operator.Workers;

/// <summary>An event a reconcile wants recorded on its job.</summary>
/// <param name="Warning">Warning rather than Normal.</param>
/// <param name="Reason">PascalCase reason.</param>
/// <param name="Message">Human message.</param>
public sealed record JobEvent(bool Warning, string Reason, string Message);
