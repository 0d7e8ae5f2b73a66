namespace Whetstone.Operator.Runtime.Informers;

/// <summary>The kinds of event a watch stream carries.</summary>
public enum ResourceWatchEventType
{
    /// <summary>An object appeared.</summary>
    Added,

    /// <summary>An object changed.</summary>
    Modified,

    /// <summary>An object is gone.</summary>
    Deleted,

    /// <summary>No object changed; the server says the stream has seen everything up to a resourceVersion.</summary>
    Bookmark,
}
