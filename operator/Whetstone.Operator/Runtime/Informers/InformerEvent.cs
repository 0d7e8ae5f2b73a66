namespace Whetstone.Operator.Runtime.Informers;

/// <summary>A change the informer saw, after its cache was updated.</summary>
/// <param name="Type">Added, Modified or Deleted.</param>
/// <param name="Object">The object (for Deleted: its last known state).</param>
public sealed record InformerEvent<T>(ResourceWatchEventType Type, T Object);
