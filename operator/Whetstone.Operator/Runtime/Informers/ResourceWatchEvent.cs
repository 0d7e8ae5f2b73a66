namespace Whetstone.Operator.Runtime.Informers;

/// <summary>One event of a watch stream.</summary>
/// <param name="Type">What happened.</param>
/// <param name="Object">The object after the event (for bookmarks only its resourceVersion is meaningful).</param>
/// <param name="ResourceVersion">The resourceVersion to resume from after this event.</param>
public sealed record ResourceWatchEvent<T>(ResourceWatchEventType Type, T? Object, string ResourceVersion);
