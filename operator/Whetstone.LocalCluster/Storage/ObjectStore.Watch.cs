
namespace Whetstone.LocalCluster.Storage;

/// <summary>Watch subscriptions and the event log they replay from.</summary>
internal sealed partial class ObjectStore
{
    /// <summary>
    /// Starts a watch. With <paramref name="fromVersion"/> it replays logged events after it (410 Gone when the
    /// log no longer reaches back that far); without it the backlog is the current objects as ADDED events.
    /// The backlog and the subscription are taken atomically so nothing is lost or doubled.
    /// </summary>
    public (IReadOnlyList<WatchEvent> Backlog, WatchSubscription Subscription) Subscribe(string storageKey, string? ns, long? fromVersion)
    {
        lock (_stateLock)
        {
            List<WatchEvent> backlog;
            if (fromVersion is { } from)
            {
                if (from < _compactedVersion)
                {
                    throw new ResourceVersionTooOldException(from, _compactedVersion);
                }
                backlog = [.. _events.Where(e => e.ResourceVersion > from && e.Object.StorageKey == storageKey && (ns is null || e.Object.Namespace == ns))];
            }
            else
            {
                backlog = [.. _committed.Objects(storageKey, ns).OrderBy(o => o.ResourceVersion).Select(o => new WatchEvent(o.ResourceVersion, "ADDED", o))];
            }
            var subscription = new WatchSubscription(storageKey, ns) { OnDispose = Unsubscribe };
            _subscriptions.Add(subscription);
            return (backlog, subscription);
        }
    }

    private void Unsubscribe(WatchSubscription subscription)
    {
        lock (_stateLock)
        {
            _subscriptions.Remove(subscription);
        }
    }

    /// <summary>Applies committed writes to the committed view and sends their events, in resourceVersion order.</summary>
    private void Publish(List<QueuedWrite> writes)
    {
        lock (_stateLock)
        {
            foreach (var write in writes)
            {
                var stored = write.Stored;
                var previous = _committed.Apply(stored, write.Remove);
                _committedVersion = stored.ResourceVersion;
                var e = new WatchEvent(stored.ResourceVersion, write.EventType, stored, write.EventType == "MODIFIED" ? previous : null);
                _events.Enqueue(e);
                while (_events.Count > _eventWindow)
                {
                    _compactedVersion = _events.Dequeue().ResourceVersion;
                }
                foreach (var subscription in _subscriptions)
                {
                    if (subscription.Matches(e))
                    {
                        subscription.Publish(e);
                    }
                }
            }
        }
    }
}
