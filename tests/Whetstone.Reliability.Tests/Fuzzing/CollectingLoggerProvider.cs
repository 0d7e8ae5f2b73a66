using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Whetstone.Reliability.Tests.Fuzzing;

/// <summary>Keeps every line logged through it, so a test can read what a server logged.</summary>
public sealed class CollectingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LoggedEntry> _entries = new();

    /// <summary>Everything logged so far, in order.</summary>
    public IReadOnlyList<LoggedEntry> Entries => [.. _entries];

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Collector(categoryName, _entries);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Collector(string category, ConcurrentQueue<LoggedEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new LoggedEntry(logLevel, category, formatter(state, exception), exception));
    }
}
