namespace Whetstone.Operator.Runtime.Controllers;

/// <summary>A controller's declaration that it owns children of a type: their changes wake it.</summary>
/// <param name="OwnerType">The controller's entity type.</param>
/// <param name="OwnerKind">The kind the children's controller owner reference names.</param>
/// <param name="ChildType">The child type (an <see cref="OwnedResourceCache{TChild}"/> of it must be registered).</param>
public sealed record OwnedKind(Type OwnerType, string OwnerKind, Type ChildType);
