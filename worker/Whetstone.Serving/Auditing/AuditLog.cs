using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Whetstone.Datasets.Preprocessing;
using Whetstone.Serving.Metrics;

namespace Whetstone.Serving.Auditing;

/// <summary>
/// A sampled, size-bounded, PII-redacted log of inference requests, one JSON object per line.
/// <list type="bullet">
/// <item>Sampling is decided by the request id's hash, so whether a request is logged does not depend on timing
/// and every replica takes the same share.</item>
/// <item>E-mail addresses, phone numbers, ID and bank card numbers in the request and the answer are replaced by the
/// dataset cleaner's placeholders before anything is written; each field keeps its first
/// <see cref="MaxFieldChars"/> characters; the client is recorded as a hash, never as an address.</item>
/// <item>The file never passes the configured size: when the next line would, it becomes <c>&lt;path&gt;.1</c>
/// (replacing the previous one) and a new file starts, so at most twice the limit is on disk.</item>
/// <item>Requests never wait for the disk: records go through a bounded queue; when it is full the record is dropped
/// and counted (<c>whetstone_audit_records_total{result="dropped"}</c>).</item>
/// </list>
/// </summary>
public sealed class AuditLog : IAsyncDisposable
{
    /// <summary>Characters of the request and of the answer kept per record.</summary>
    public const int MaxFieldChars = 4096;

    private const int QueueCapacity = 1024;
    private static readonly PiiRedactor Redactor = new(Enum.GetValues<PiiKind>());

    private readonly string _path;
    private readonly double _sampleRate;
    private readonly long _maxBytes;
    private readonly ServingMeter _meter;
    private readonly ILogger _logger;
    private readonly Channel<JsonObject> _queue = Channel.CreateBounded<JsonObject>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Task _writer;

    /// <summary>Starts the log at <paramref name="path"/> (created with its folder; appended to when it exists).</summary>
    public AuditLog(string path, double sampleRate, long maxBytes, ServingMeter meter, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
        _sampleRate = sampleRate;
        _maxBytes = maxBytes;
        _meter = meter;
        _logger = logger;
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>Whether the request with <paramref name="requestId"/> is logged: its SHA-256 read as a fraction below the rate.</summary>
    public bool Samples(string requestId)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        if (_sampleRate >= 1)
        {
            return true;
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(requestId), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash) / (double)ulong.MaxValue < _sampleRate;
    }

    /// <summary>Queues the record of one answered request when it is sampled; never blocks.</summary>
    public void Record(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!Samples(entry.RequestId))
        {
            return;
        }

        var redactions = new RedactionTally();
        var record = new JsonObject
        {
            ["time"] = entry.Time.ToString("O", CultureInfo.InvariantCulture),
            ["requestId"] = entry.RequestId,
            ["endpoint"] = entry.Endpoint,
            ["client"] = ClientHash(entry.Client),
            ["status"] = entry.Status,
            ["outcome"] = entry.Outcome,
            ["durationMs"] = Math.Round(entry.Seconds * 1000, 3),
            ["input"] = entry.Input is null ? null : Bounded(Redact(entry.Input.DeepClone(), redactions)),
            ["output"] = entry.Output is null ? null : Clean(entry.Output, redactions),
        };
        var counts = redactions.ToCounts();
        record["redactions"] = new JsonObject { ["email"] = counts.Email, ["phone"] = counts.Phone, ["idNumber"] = counts.IdNumber, ["bankCard"] = counts.BankCard };
        if (_queue.Writer.TryWrite(record))
        {
            return;
        }

        _meter.RecordAudit(written: false);
    }

    /// <summary>Writes what is queued and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    // Redacts every string in the request's JSON (never its escaped text, where "+" reads "\u002B").
    private static JsonNode? Redact(JsonNode? node, RedactionTally redactions)
    {
        switch (node)
        {
            case JsonObject json:
                foreach (var (name, value) in json.ToList())
                {
                    json[name] = Redact(value?.DeepClone(), redactions);
                }

                return json;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = Redact(array[i]?.DeepClone(), redactions);
                }

                return array;
            case JsonValue value when value.TryGetValue<string>(out var text):
                return JsonValue.Create(Clean(text, redactions));
            default:
                return node;
        }
    }

    // A request larger than four fields' worth (a long feature matrix) is kept as the start of its text.
    private static JsonNode? Bounded(JsonNode? input)
    {
        var text = input?.ToJsonString();
        return text is null || text.Length <= 4 * MaxFieldChars ? input : JsonValue.Create(text[..(4 * MaxFieldChars)] + "…");
    }

    private static string Clean(string text, RedactionTally redactions)
    {
        var redacted = Redactor.Redact(text, redactions);
        return redacted.Length <= MaxFieldChars ? redacted : redacted[..MaxFieldChars] + "…";
    }

    private static string? ClientHash(string? client) =>
        client is null ? null : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(client)))[..16];

    private async Task WriteAsync()
    {
        FileStream? file = null;
        try
        {
            file = Open();
            while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (_queue.Reader.TryRead(out var record))
                {
                    var line = Encoding.UTF8.GetBytes(record.ToJsonString() + "\n");
                    if (file.Length > 0 && file.Length + line.Length > _maxBytes)
                    {
                        await file.DisposeAsync().ConfigureAwait(false);
                        File.Move(_path, _path + ".1", overwrite: true);
                        file = Open();
                    }

                    await file.WriteAsync(line).ConfigureAwait(false);
                    _meter.RecordAudit(written: true);
                }

                await file.FlushAsync().ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // a broken audit log is reported and must never take the server down
        catch (Exception error)
#pragma warning restore CA1031
        {
            _logger.LogError(error, "the audit log {Path} stopped: {Message}", _path, error.Message);
            while (_queue.Reader.TryRead(out _))
            {
                _meter.RecordAudit(written: false);
            }
        }
        finally
        {
            if (file is not null)
            {
                await file.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private FileStream Open() => new(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
}

/// <summary>One answered inference request as the audit log receives it (before redaction).</summary>
/// <param name="Time">When the request arrived.</param>
/// <param name="RequestId">The id the answer carried.</param>
/// <param name="Endpoint">The path, e.g. <c>/v1/completions</c>.</param>
/// <param name="Client">The client's id or address; only its hash is written.</param>
/// <param name="Status">The HTTP status answered.</param>
/// <param name="Outcome">success, error, rejected, invalid or cancelled.</param>
/// <param name="Seconds">Time from arrival to answer.</param>
/// <param name="Input">The request's JSON body (null when it was not read).</param>
/// <param name="Output">The answer as text (null when there was none).</param>
public sealed record AuditEntry(DateTimeOffset Time, string RequestId, string Endpoint, string? Client, int Status, string Outcome, double Seconds, JsonNode? Input, string? Output);
