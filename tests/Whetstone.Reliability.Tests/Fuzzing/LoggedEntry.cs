using Microsoft.Extensions.Logging;

namespace Whetstone.Reliability.Tests.Fuzzing;

/// <summary>One line a server logged.</summary>
/// <param name="Level">Its level.</param>
/// <param name="Category">Its logger's category.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">The exception logged with it, if any.</param>
public sealed record LoggedEntry(LogLevel Level, string Category, string Message, Exception? Exception);
