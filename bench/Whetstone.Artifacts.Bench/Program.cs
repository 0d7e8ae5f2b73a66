using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Minio;
using Minio.DataModel.Args;
using Whetstone.Artifacts;
using Whetstone.Artifacts.Bench;
using Whetstone.Artifacts.Tests.S3;
using Whetstone.Bench;

// Throughput of the artifact stores next to plain copies on the same disk, and memory while a 1 GiB object streams.
// Usage: dotnet run -c Release --project bench/Whetstone.Artifacts.Bench [largeMiB=256] [hugeMiB=1024] [smallRuns=20] [largeRuns=3] [file-only]
var largeMiB = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 256;
var hugeMiB = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1024;
var smallRuns = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
var largeRuns = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
var fileOnly = args.Contains("file-only");
const int MiB = 1 << 20;

var work = Directory.CreateTempSubdirectory("whetstone-bench-").FullName;
Console.WriteLine($"CPU: {MachineDescription.Cpu()}; load average at start {MachineDescription.LoadAverage()}");
var results = new List<Measurement>();
await using var s3rver = new S3rverProcess();
try
{
    await s3rver.StartAsync();
    var s3Options = new ArtifactStoreOptions { Endpoint = s3rver.Endpoint, AccessKey = "S3RVER", SecretKey = "S3RVER", CreateBucketIfMissing = true };
    using var fileStore = ArtifactStoreFactory.Create(new Uri(Path.Combine(work, "store") + "/"));
    using var s3Store = ArtifactStoreFactory.Create("s3://bench/", s3Options);

    // Memory first, so the peak working set belongs to the 1 GiB stream alone.
    var before = CurrentWorkingSetMiB();
    var (peakFile, peakS3, hugeS3) = (0.0, 0.0, TimeSpan.Zero);
    var hugeFile = await TimeAsync($"put {hugeMiB} MiB (memory)", "file", (long)hugeMiB * MiB, 1, null,
        run => fileStore.PutAsync($"huge-{run}.bin", new RepeatingStream((long)hugeMiB * MiB)));
    peakFile = PeakWorkingSetMiB();
    await fileStore.DeleteAsync("huge-0.bin");
    if (!fileOnly)
    {
        hugeS3 = await TimeAsync($"put {hugeMiB} MiB (memory)", "s3", (long)hugeMiB * MiB, 1, null,
            run => s3Store.PutAsync($"huge-{run}.bin", new RepeatingStream((long)hugeMiB * MiB)));
        peakS3 = PeakWorkingSetMiB();
        await s3Store.DeleteAsync("huge-0.bin");
    }

    var small = Path.Combine(work, "small.bin");
    var large = Path.Combine(work, "large.bin");
    await File.WriteAllBytesAsync(small, RandomNumberGenerator.GetBytes(MiB));
    await WriteRandomFileAsync(large, (long)largeMiB * MiB);

    foreach (var (label, path, runs) in new[] { ("1 MiB", small, smallRuns), ($"{largeMiB} MiB", large, largeRuns) })
    {
        var size = new FileInfo(path).Length;
        var copy = $"File.Copy {label}";
        var copyFsync = $"copy+fsync {label}";
        var read = $"read {label}";
        await TimeAsync(copy, "disk", size, runs, null, run => Task.Run(() => File.Copy(path, Path.Combine(work, $"copy-{label}-{run}"))));
        await TimeAsync(copyFsync, "disk", size, runs, null, run => CopyWithFsyncAsync(path, Path.Combine(work, $"fsync-{label}-{run}")));
        await TimeAsync(read, "disk", size, runs, null, async _ =>
        {
            await using var s = OpenRead(path);
            await s.CopyToAsync(Stream.Null);
        });
        await TimeAsync($"sha256 only {label}", "cpu", size, runs, read, async _ =>
        {
            await using var s = OpenRead(path);
            await SHA256.HashDataAsync(s);
        });
        if (!fileOnly)
        {
            // The reference for S3: the same bytes through the same SDK and server, without hashing, sidecar or commit.
            using var raw = new MinioClient().WithEndpoint(new Uri(s3rver.Endpoint).Host, new Uri(s3rver.Endpoint).Port)
                .WithCredentials("S3RVER", "S3RVER").WithSSL(false).Build();
            await TimeAsync($"sdk upload {label}", "s3", size, runs, null, async run =>
            {
                await using var s = OpenRead(path);
                await raw.PutObjectAsync(new PutObjectArgs().WithBucket("bench").WithObject($"raw/{label}/{run}.bin").WithStreamData(s).WithObjectSize(s.Length));
            });
        }

        foreach (var (name, store) in fileOnly ? [("file", fileStore)] : new[] { ("file", fileStore), ("s3", s3Store) })
        {
            await TimeAsync($"put {label}", name, size, runs, name == "s3" ? $"sdk upload {label} [s3]" : copyFsync, async run =>
            {
                await using var s = OpenRead(path);
                await store.PutAsync($"{label}/{run}.bin", s);
            });
            await TimeAsync($"get+verify {label}", name, size, runs, read, async run =>
            {
                await using var s = await store.OpenReadAsync($"{label}/{run}.bin");
                await s.CopyToAsync(Stream.Null, MiB);
            });
        }
    }

    // The machine is shared, so throughput swings between runs; pairs timed back to back give a steadier ratio.
    var paired = new List<double>();
    for (var run = 0; run < largeRuns + 2; run++)
    {
        var clock = Stopwatch.StartNew();
        await CopyWithFsyncAsync(large, Path.Combine(work, $"paired-{run}"));
        var baselineTime = clock.Elapsed;
        clock.Restart();
        await using (var s = OpenRead(large))
        {
            await fileStore.PutAsync($"paired/{run}.bin", s);
        }

        paired.Add(clock.Elapsed / baselineTime);
        File.Delete(Path.Combine(work, $"paired-{run}"));
        await fileStore.DeleteAsync($"paired/{run}.bin");
    }

    paired.Sort();
    var plain = results.ToDictionary(r => r.Store is "disk" or "cpu" ? r.Operation : $"{r.Operation} [{r.Store}]", r => r);
    var medianPaired = paired[paired.Count / 2];
    Console.WriteLine();
    Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; best of N runs");
    Console.WriteLine("| operation                    | store  |     size     | runs |   best time  |  throughput     | time ratio                     |");
    Console.WriteLine("|------------------------------|--------|--------------|------|--------------|-----------------|--------------------------------|");
    foreach (var r in results)
    {
        Console.WriteLine(r.Format(plain));
    }

    Console.WriteLine();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"memory: working set {before:0} MiB before; peak {peakFile:0} MiB after a {hugeMiB} MiB file-store put ({hugeFile.TotalSeconds:0.0} s), peak {peakS3:0} MiB after a {hugeMiB} MiB S3 put ({hugeS3.TotalSeconds:0.0} s)"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"file-store put {largeMiB} MiB vs copy+fsync: {Overhead($"put {largeMiB} MiB [file]", $"copy+fsync {largeMiB} MiB"):+0.0;-0.0} %; vs File.Copy: {Overhead($"put {largeMiB} MiB [file]", $"File.Copy {largeMiB} MiB"):+0.0;-0.0} %"));

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"paired back-to-back runs, file-store put / copy+fsync of {largeMiB} MiB: median {medianPaired:0.00}x (all: {string.Join(", ", paired.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))})"));

    Console.WriteLine();
    Console.WriteLine("| target | reference | ours | ratio | target | met |");
    Console.WriteLine("|---|---|---|---|---|---|");
    var putTime = plain[$"put {largeMiB} MiB [file]"].Best.TotalMilliseconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| file put {largeMiB} MiB (paired, median) | copy+fsync | put | {medianPaired:0.00}× | ≤ 1.15× | {YesNo(medianPaired <= 1.15)} |"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| file put {largeMiB} MiB (best of {largeRuns}) | copy+fsync {plain[$"copy+fsync {largeMiB} MiB"].Best.TotalMilliseconds:0} ms; sha256 alone {plain[$"sha256 only {largeMiB} MiB"].Best.TotalMilliseconds:0} ms | {putTime:0} ms | {putTime / plain[$"copy+fsync {largeMiB} MiB"].Best.TotalMilliseconds:0.00}× of copy+fsync, {putTime / plain[$"sha256 only {largeMiB} MiB"].Best.TotalMilliseconds:0.00}× of sha256 | ≤ 1.15× of copy+fsync | {YesNo(putTime <= 1.15 * plain[$"copy+fsync {largeMiB} MiB"].Best.TotalMilliseconds)} |"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| file put {hugeMiB} MiB, peak working set | {before:0} MiB before | {peakFile:0} MiB | {peakFile - before:+0} MiB | flat (< 128 MiB over) | {YesNo(peakFile - before < 128)} |"));
    if (!fileOnly)
    {
        var s3Put = plain[$"put {largeMiB} MiB [s3]"].Best.TotalMilliseconds;
        var s3Raw = plain[$"sdk upload {largeMiB} MiB [s3]"].Best.TotalMilliseconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| s3rver put {largeMiB} MiB | SDK upload alone {s3Raw:0} ms | {s3Put:0} ms | {s3Put / s3Raw:0.00}× | ≤ 1.15× | {YesNo(s3Put <= 1.15 * s3Raw)} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| s3rver put {hugeMiB} MiB, peak working set | {before:0} MiB before | {peakS3:0} MiB | {peakS3 - before:+0} MiB | flat (< 128 MiB over) | {YesNo(peakS3 - before < 128)} |"));
    }

    Console.WriteLine($"load average at end: {MachineDescription.LoadAverage()}");

    double Overhead(string measured, string baseline) => (plain[measured].Best.TotalSeconds / plain[baseline].Best.TotalSeconds - 1) * 100;
}
finally
{
    Directory.Delete(work, recursive: true);
}

async Task<TimeSpan> TimeAsync(string operation, string store, long bytes, int runs, string? baseline, Func<int, Task> body)
{
    var best = TimeSpan.MaxValue;
    for (var run = 0; run < runs; run++)
    {
        var clock = Stopwatch.StartNew();
        await body(run);
        best = clock.Elapsed < best ? clock.Elapsed : best;
    }

    results.Add(new Measurement(operation, store, bytes, runs, best, baseline));
    Console.Error.WriteLine($"{operation} [{store}]: {best.TotalMilliseconds:0} ms");
    return best;
}

static string YesNo(bool met) => met ? "yes" : "NO";

static FileStream OpenRead(string path) => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);

static async Task CopyWithFsyncAsync(string source, string destination)
{
    await using var input = OpenRead(source);
    await using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
    await input.CopyToAsync(output, 1 << 20);
    output.Flush(flushToDisk: true);
}

static async Task WriteRandomFileAsync(string path, long length)
{
    await using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
    var block = new byte[1 << 20];
    for (long written = 0; written < length; written += block.Length)
    {
        RandomNumberGenerator.Fill(block);
        await output.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, length - written)));
    }
}

static double CurrentWorkingSetMiB() => Process.GetCurrentProcess().WorkingSet64 / 1048576.0;

static double PeakWorkingSetMiB()
{
    using var self = Process.GetCurrentProcess();
    self.Refresh();
    return self.PeakWorkingSet64 / 1048576.0;
}
