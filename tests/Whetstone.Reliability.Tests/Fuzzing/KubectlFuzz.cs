using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Whetstone.Reliability.Tests.Fuzzing;

/// <summary>
/// Sends a batch of fuzz cases through the real kubectl in one call (one file per case in a folder, so every error
/// line names its file and every success line its object) and judges each case as <see cref="ManifestFuzzer"/> does.
/// </summary>
public sealed partial class KubectlFuzz(string kubeconfigPath, string workDirectory, ManifestFuzzer fuzzer)
{
    /// <summary>Runs <c>kubectl <paramref name="command"/> -f folder</c> over <paramref name="cases"/> in <paramref name="ns"/>.</summary>
    public async Task<IReadOnlyList<FuzzOutcome>> RunAsync(IReadOnlyList<FuzzCase> cases, string ns, params string[] command)
    {
        var route = "kubectl " + string.Join(' ', command);
        var folder = Path.Combine(workDirectory, string.Join('-', command).Replace("--", "", StringComparison.Ordinal));
        Directory.CreateDirectory(folder);
        foreach (var fuzzCase in cases)
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, FileName(fuzzCase)), fuzzCase.Body);
        }
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command.Concat(["-n", ns, "-f", folder, "--cache-dir", Path.Combine(workDirectory, "kubectl-cache")]))
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["KUBECONFIG"] = kubeconfigPath;
        start.Environment["HOME"] = workDirectory;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30 + cases.Count * ManifestFuzzer.RequestBound.TotalSeconds));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return [.. cases.Select(c => new FuzzOutcome(c, route, false, 0, "kubectl did not finish (hang)"))];
        }
        var created = await stdout;
        var errors = Attribute(await stderr, cases);
        if (Environment.GetEnvironmentVariable("WHETSTONE_FUZZ_KUBECTL_LOG") is { Length: > 0 } log)
        {
            await File.AppendAllTextAsync(log, $"== {route}\n{created}\n{await stderr}\n");
        }
        var outcomes = new List<FuzzOutcome>();
        foreach (var fuzzCase in cases)
        {
            var item = $"apis/whetstone.dev/v1alpha1/namespaces/{ns}/{fuzzCase.Plural}/{Uri.EscapeDataString(fuzzCase.Name)}";
            if (Regex.IsMatch(created, $@"/{Regex.Escape(fuzzCase.Name)} (created|serverside-applied|configured)\b"))
            {
                outcomes.Add(new FuzzOutcome(fuzzCase, route, true, 0, await fuzzer.CheckStoredAsync(fuzzCase, item)));
            }
            else if (errors.TryGetValue(fuzzCase.Id, out var error))
            {
                var problem = error.Contains("InternalError", StringComparison.Ordinal) || error.Contains("(500)", StringComparison.Ordinal)
                    ? $"server error: {ManifestFuzzer.Short(error)}"
                    : ManifestFuzzer.CheckRejection(fuzzCase, 0, "", error) ?? await fuzzer.CheckNothingStoredAsync(item, null);
                outcomes.Add(new FuzzOutcome(fuzzCase, route, false, 0, problem));
            }
            else
            {
                outcomes.Add(new FuzzOutcome(fuzzCase, route, false, 0, $"kubectl reported nothing attributable (exit {process.ExitCode})"));
            }
        }
        return outcomes;
    }

    private static string FileName(FuzzCase fuzzCase) =>
        fuzzCase.Id.ToString("D4", CultureInfo.InvariantCulture) + (fuzzCase.Transport == FuzzTransport.CreateJson ? ".json" : ".yaml");

    /// <summary>
    /// The error kubectl printed for each case, by case id. kubectl names the file when it creates (one line per file,
    /// or one line listing every file it could not decode) and only the object when it applies server-side; an error
    /// naming neither (a strict decoding error) is the case whose unique field path it names.
    /// </summary>
    private static Dictionary<int, string> Attribute(string stderr, IReadOnlyList<FuzzCase> cases)
    {
        var byFile = cases.ToDictionary(FileName, c => c.Id, StringComparer.Ordinal);
        var errors = new Dictionary<int, string>();
        var unattributed = new List<string>();
        foreach (var line in stderr.Split('\n').Where(l => l.Trim().Length > 0))
        {
            var files = CaseFile().Matches(line);
            for (var i = 0; i < files.Count; i++)
            {
                var end = i + 1 < files.Count ? files[i + 1].Index : line.Length;
                var start = i == 0 ? 0 : files[i].Index;
                if (byFile.TryGetValue(files[i].Value, out var id))
                {
                    errors[id] = errors.GetValueOrDefault(id, "") + line[start..end] + "\n";
                }
            }
            if (files.Count == 0)
            {
                unattributed.Add(line);
            }
        }
        foreach (var line in unattributed)
        {
            var named = cases.Where(c => line.Contains($"\"{SentName(c)}\"", StringComparison.Ordinal)).ToList();
            // The longest field path the line names: a case breaking "spec" must not claim the error of "spec.x.fuzzUnknown1".
            var byField = cases.Where(c => !errors.ContainsKey(c.Id) && c.FieldPath is { Length: > 0 } f && line.Contains(f, StringComparison.Ordinal))
                .GroupBy(c => c.FieldPath!.Length).OrderByDescending(g => g.Key).FirstOrDefault()?.ToList() ?? [];
            var match = named.Count == 1 ? named[0] : byField.Count == 1 ? byField[0] : null;
            if (match is not null)
            {
                errors[match.Id] = errors.GetValueOrDefault(match.Id, "") + line + "\n";
            }
        }
        return errors;
    }

    /// <summary>The name the case's body gives its object (a case may break the name itself).</summary>
    private static string SentName(FuzzCase fuzzCase)
    {
        try
        {
            return Whetstone.LocalCluster.Patching.YamlJson.Parse(System.Text.Encoding.UTF8.GetString(fuzzCase.Body))?["metadata"]?["name"] is System.Text.Json.Nodes.JsonValue name
                && name.TryGetValue<string>(out var text) ? text : fuzzCase.Name;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or ArgumentException or Whetstone.LocalCluster.Api.ApiException)
        {
            return fuzzCase.Name;
        }
    }

    [GeneratedRegex(@"\d{4}\.(json|yaml)")]
    private static partial Regex CaseFile();
}
