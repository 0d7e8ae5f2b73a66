using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Whetstone.Artifacts;

namespace Whetstone.Worker.Artifacts;

/// <summary>
/// <c>whetstone-worker artifacts put|get|ls|stat|verify</c>: the artifact store from a terminal. S3 settings come from
/// <c>WHETSTONE_S3_ENDPOINT</c>, <c>WHETSTONE_S3_ACCESS_KEY</c>, <c>WHETSTONE_S3_SECRET_KEY</c>, <c>WHETSTONE_S3_REGION</c>
/// and <c>WHETSTONE_S3_TLS</c>.
/// </summary>
internal static class ArtifactsCommand
{
    /// <summary>Files at least this big get a progress bar on an interactive terminal.</summary>
    private const long ProgressBarThresholdBytes = 8L * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static Command Create()
    {
        var command = new Command("artifacts", "Put, get, list, inspect and verify artifacts in s3:// or file:// stores");
        command.Subcommands.Add(Put());
        command.Subcommands.Add(Get());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Stat());
        command.Subcommands.Add(Verify());
        return command;
    }

    private static Command Put()
    {
        var file = new Argument<FileInfo>("file") { Description = "Local file to upload" };
        var uri = new Argument<string>("uri") { Description = "Destination, s3://bucket/key or file:///path" };
        var contentType = new Option<string>("--content-type") { Description = "Media type to record", DefaultValueFactory = _ => "application/octet-stream" };
        var command = new Command("put", "Upload a file; never overwrites, prints its digest") { file, uri, contentType };
        command.SetAction((parse, ct) => RunAsync(async () =>
        {
            var source = parse.GetValue(file)!;
            if (!source.Exists)
            {
                throw new FileNotFoundException($"{source.FullName} does not exist");
            }

            var (store, key) = ArtifactStoreFactory.Resolve(parse.GetValue(uri)!, ArtifactStoreOptions.FromEnvironment());
            using (store)
            {
                var stream = new FileStream(source.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
                await using (stream.ConfigureAwait(false))
                {
                    var stored = await WithProgressAsync($"put {source.Name}", source.Length,
                        progress => store.PutAsync(key, stream, parse.GetValue(contentType)!, progress, ct)).ConfigureAwait(false);
                    Console.WriteLine($"{stored.Uri}\t{stored.Digest}\t{stored.SizeBytes}");
                }
            }
        }));
        return command;
    }

    private static Command Get()
    {
        var uri = new Argument<string>("uri") { Description = "Artifact to download" };
        var file = new Argument<FileInfo>("file") { Description = "Local file to create (must not exist)" };
        var digest = new Option<string?>("--digest") { Description = "Pinned sha256:<hex>; a mismatch fails" };
        var command = new Command("get", "Download an artifact, verifying its digest") { uri, file, digest };
        command.SetAction((parse, ct) => RunAsync(async () =>
        {
            var target = parse.GetValue(file)!;
            if (target.Exists)
            {
                throw new IOException($"{target.FullName} already exists");
            }

            var (store, key) = ArtifactStoreFactory.Resolve(parse.GetValue(uri)!, ArtifactStoreOptions.FromEnvironment());
            using (store)
            {
                var stored = await store.StatAsync(key, ct).ConfigureAwait(false) ?? throw new ArtifactNotFoundException(store.GetUri(key));
                if (parse.GetValue(digest) is { } pin && !string.Equals(ArtifactDigest.Require(pin, "--digest"), stored.Digest, StringComparison.Ordinal))
                {
                    throw new ArtifactIntegrityException(stored.Uri, pin, stored.Digest);
                }

                await WithProgressAsync($"get {target.Name}", stored.SizeBytes, progress => DownloadAsync(store, key, target, progress, ct)).ConfigureAwait(false);
                Console.WriteLine($"{target.FullName}\t{stored.Digest}\t{stored.SizeBytes}");
            }
        }));
        return command;
    }

    private static Command List()
    {
        var uri = new Argument<string>("uri") { Description = "Prefix to list, e.g. s3://bucket/models/ or file:///data/" };
        var command = new Command("ls", "List artifacts under a prefix") { uri };
        command.SetAction((parse, ct) => RunAsync(async () =>
        {
            var (store, prefix) = ArtifactStoreFactory.Resolve(parse.GetValue(uri)!, ArtifactStoreOptions.FromEnvironment());
            using (store)
            {
                await foreach (var item in store.ListAsync(prefix, ct).ConfigureAwait(false))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{item.SizeBytes,14}  {item.LastModified:yyyy-MM-dd HH:mm:ss}  {item.Uri}"));
                }
            }
        }));
        return command;
    }

    private static Command Stat()
    {
        var uri = new Argument<string>("uri") { Description = "Artifact to describe" };
        var command = new Command("stat", "Print an artifact's digest, size and type as JSON") { uri };
        command.SetAction((parse, ct) => RunAsync(async () =>
        {
            var (store, key) = ArtifactStoreFactory.Resolve(parse.GetValue(uri)!, ArtifactStoreOptions.FromEnvironment());
            using (store)
            {
                var stored = await store.StatAsync(key, ct).ConfigureAwait(false) ?? throw new ArtifactNotFoundException(store.GetUri(key));
                Console.WriteLine(JsonSerializer.Serialize(new { uri = stored.Uri.ToString(), digest = stored.Digest, sizeBytes = stored.SizeBytes, contentType = stored.ContentType }, Json));
            }
        }));
        return command;
    }

    private static Command Verify()
    {
        var uri = new Argument<string>("uri") { Description = "Artifact to verify" };
        var digest = new Option<string?>("--digest") { Description = "Pinned sha256:<hex>; without it the recorded digest is checked" };
        var command = new Command("verify", "Read an artifact whole and check it against its digest") { uri, digest };
        command.SetAction((parse, ct) => RunAsync(async () =>
        {
            var (store, key) = ArtifactStoreFactory.Resolve(parse.GetValue(uri)!, ArtifactStoreOptions.FromEnvironment());
            using (store)
            {
                var pin = parse.GetValue(digest)
                          ?? (await store.StatAsync(key, ct).ConfigureAwait(false) ?? throw new ArtifactNotFoundException(store.GetUri(key))).Digest;
                var stored = await store.VerifyDigestAsync(key, pin, ct).ConfigureAwait(false);
                Console.WriteLine($"ok\t{stored.Uri}\t{stored.Digest}");
            }
        }));
        return command;
    }

    private static async Task DownloadAsync(IArtifactStore store, string key, FileInfo target, IProgress<long>? progress, CancellationToken ct)
    {
        var temporary = target.FullName + ArtifactKeys.TemporaryMarker + Guid.NewGuid().ToString("N");
        try
        {
            var source = await store.OpenReadAsync(key, ct).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
                await using (output.ConfigureAwait(false))
                {
                    var buffer = new byte[1 << 20];
                    long total = 0;
                    int read;
                    while ((read = await source.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                    {
                        await output.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                        total += read;
                        progress?.Report(total);
                    }

                    output.Flush(flushToDisk: true);
                }
            }

            File.Move(temporary, target.FullName, overwrite: false);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static async Task<T> WithProgressAsync<T>(string description, long totalBytes, Func<IProgress<long>?, Task<T>> run)
    {
        if (totalBytes < ProgressBarThresholdBytes || Console.IsErrorRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return await run(null).ConfigureAwait(false);
        }

        T result = default!;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(description, maxValue: totalBytes);
                result = await run(new BarProgress(task)).ConfigureAwait(false);
                task.Value = totalBytes;
            }).ConfigureAwait(false);
        return result;
    }

    private static Task WithProgressAsync(string description, long totalBytes, Func<IProgress<long>?, Task> run) =>
        WithProgressAsync(description, totalBytes, async progress =>
        {
            await run(progress).ConfigureAwait(false);
            return true;
        });

    /// <summary>Runs a command body; store and input errors print one clear line and exit 1, never a stack trace.</summary>
    private static async Task<int> RunAsync(Func<Task> body)
    {
        try
        {
            await body().ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is ArtifactStoreException or ArgumentException or IOException or FormatException or UnauthorizedAccessException)
        {
            var message = e is ArgumentException { ParamName: { } name } ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;
            await Console.Error.WriteLineAsync($"error: {message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>Moves the bar as bytes flow; set directly (no synchronization context hop per report).</summary>
    private sealed class BarProgress(ProgressTask task) : IProgress<long>
    {
        public void Report(long value) => task.Value = value;
    }
}
