using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Patching;

namespace Whetstone.Reliability.Tests.Fuzzing;

/// <summary>
/// A seeded, reproducible corpus of mutated manifests for the four kinds, started from the valid files of
/// <c>examples/</c>, the CRDs of <c>crds/</c> and the broken files of <c>examples/invalid</c>. The same seed and size
/// always give the same cases, bodies and expectations.
/// </summary>
public sealed partial class ManifestCorpus
{
    private const string RawMarker = "@@raw";
    private const string BadUtf8Marker = "@@bad-utf8@@";
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string[] Kinds = ["FineTuneJob", "CompressionJob", "EvaluationRun", "ModelRollout"];

    private readonly Random _random;
    private readonly List<FuzzCase> _cases = [];
    private readonly Dictionary<string, string> _raw = new(StringComparer.Ordinal);

    private ManifestCorpus(int seed) => _random = new Random(seed);

    /// <summary>The seeds read from the repository.</summary>
    public static IReadOnlyList<KindSeed> LoadSeeds()
    {
        var manifests = Directory.GetFiles(RepositoryRoot.Combine("examples"), "*.yaml")
            .Concat(Directory.GetFiles(RepositoryRoot.Combine("examples", "pipeline"), "*.yaml"))
            .Order(StringComparer.Ordinal)
            .Select(f => YamlJson.Parse(File.ReadAllText(f)) as JsonObject)
            .OfType<JsonObject>()
            .ToList();
        var invalid = Directory.GetFiles(RepositoryRoot.Combine("examples", "invalid"), "*.yaml").Order(StringComparer.Ordinal)
            .Select(f => (Text: File.ReadAllText(f), Name: Path.GetFileNameWithoutExtension(f)))
            .Where(f => f.Name != "unknown-field")
            .Select(f => (Manifest: (JsonObject)YamlJson.Parse(f.Text)!, Field: InvalidField().Match(f.Text).Groups[1].Value))
            .ToList();
        return [.. Kinds.Select(kind =>
        {
            var plural = kind.ToLowerInvariant() + "s";
            var crd = (JsonObject)YamlJson.Parse(File.ReadAllText(RepositoryRoot.Combine("crds", $"{plural}.whetstone.dev.yaml")))!;
            var schema = (JsonObject)crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!;
            return new KindSeed(kind, plural, [.. manifests.Where(m => m["kind"]?.GetValue<string>() == kind)], schema,
                [.. invalid.Where(i => i.Manifest["kind"]?.GetValue<string>() == kind)]);
        })];
    }

    /// <summary>
    /// <paramref name="perMutation"/> cases for every kind and mutation (huge strings at most 3 per kind: each body
    /// is over 1 MiB), in a fixed order.
    /// </summary>
    public static IReadOnlyList<FuzzCase> Generate(IReadOnlyList<KindSeed> seeds, int seed, int perMutation)
    {
        var corpus = new ManifestCorpus(seed);
        foreach (var kind in seeds)
        {
            foreach (var mutation in Enum.GetValues<ManifestMutation>())
            {
                var count = mutation == ManifestMutation.HugeString ? Math.Min(perMutation, 3) : perMutation;
                for (var i = 0; i < count; i++)
                {
                    corpus.Add(kind, mutation);
                }
            }
        }
        return corpus._cases;
    }

    private void Add(KindSeed seed, ManifestMutation mutation)
    {
        _raw.Clear();
        var id = _cases.Count;
        var name = $"fz-{seed.Kind.ToLowerInvariant()[..3]}-{id}";
        var valid = (JsonObject)Pick(seed.ValidManifests).DeepClone();
        valid["metadata"] = new JsonObject { ["name"] = name };
        var doc = (JsonObject)valid.DeepClone();
        var transport = Pick(Enum.GetValues<FuzzTransport>());
        var strict = _random.Next(2) == 0;
        var draft = mutation switch
        {
            ManifestMutation.WrongType => WrongType(doc, seed),
            ManifestMutation.MissingRequired => MissingRequired(doc, seed, transport),
            ManifestMutation.OutOfRange => OutOfRange(doc, seed),
            ManifestMutation.BrokenRule => BrokenRule(ref doc, seed, name, ref transport, ref strict),
            ManifestMutation.HugeString => HugeString(doc, seed),
            ManifestMutation.DeepNesting => DeepNesting(doc, seed, ref strict),
            ManifestMutation.Unicode => Unicode(doc, seed, ref transport),
            ManifestMutation.UnknownField => UnknownField(doc, seed, strict),
            ManifestMutation.NullValue => NullValue(doc, seed),
            ManifestMutation.Metadata => Metadata(doc, ref transport),
            ManifestMutation.MalformedBody => null,
            _ => throw new ArgumentOutOfRangeException(nameof(mutation)),
        };
        byte[] body;
        if (draft is null)
        {
            (body, var description) = MalformedBody(doc, transport);
            draft = new Draft(description, FuzzExpectation.AcceptOrReject, null);
        }
        else
        {
            body = Serialize(doc, transport);
        }
        _cases.Add(new FuzzCase(id, seed.Kind, seed.Plural, mutation, draft.Description, name, valid, body, transport, strict, draft.Expectation,
            draft.FieldPath, draft.ValuePath, draft.SentValue, draft.MustBeAbsent));
    }

    private byte[] Serialize(JsonObject doc, FuzzTransport transport)
    {
        var text = transport is FuzzTransport.CreateYaml or FuzzTransport.ServerSideApply ? YamlText.Write(doc) : doc.ToJsonString(Relaxed);
        foreach (var (marker, raw) in _raw)
        {
            text = text.Replace($"\"{marker}\"", raw, StringComparison.Ordinal);
        }
        var bytes = Encoding.UTF8.GetBytes(text);
        var at = text.IndexOf(BadUtf8Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return bytes;
        }
        var prefix = Encoding.UTF8.GetByteCount(text.AsSpan(0, at));
        return [.. bytes.AsSpan(0, prefix), 0xFF, 0xC3, 0x28, .. bytes.AsSpan(prefix + BadUtf8Marker.Length)];
    }

    /// <summary>A placeholder string that <see cref="Serialize"/> replaces by <paramref name="raw"/> (text no JSON node can hold).</summary>
    private JsonValue Raw(string raw)
    {
        var marker = $"{RawMarker}{_raw.Count}@@";
        _raw[marker] = raw;
        return JsonValue.Create(marker);
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private static List<SchemaField> SpecFields(JsonObject doc, KindSeed seed) =>
        [.. FieldPaths.Walk(doc, seed.Schema, []).Where(f => f.Path[0] is "spec" && f.Path.Count > 1 && !f.InMap)];

    [System.Text.RegularExpressions.GeneratedRegex(@"^# invalid: ([^:\s]+):", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex InvalidField();

    /// <summary>A mutation in words and what may come back.</summary>
    private sealed record Draft(string Description, FuzzExpectation Expectation, string? FieldPath, IReadOnlyList<object>? ValuePath = null,
        string? SentValue = null, string? MustBeAbsent = null);
}
