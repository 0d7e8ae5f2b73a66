using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Whetstone.Api.Serialization;

/// <summary>
/// Converts between YAML text and <see cref="JsonNode"/> trees, the form the schema validator and the API server work
/// on. Reading resolves plain scalars the way kubectl does (numbers, booleans including yes/no/on/off, null);
/// writing is deterministic (keys in the tree's order) and quotes every string that would read back as another type.
/// </summary>
public static partial class JsonYaml
{
    /// <summary>Parses every document of a YAML stream; empty documents are skipped.</summary>
    /// <exception cref="YamlFormatException">The text is not valid YAML; the message names line and column.</exception>
    public static IReadOnlyList<JsonNode> ParseDocuments(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new YamlFormatException($"line {e.Start.Line}, column {e.Start.Column}: {e.Message}", e);
        }

        var documents = new List<JsonNode>();
        foreach (var document in stream.Documents)
        {
            var node = ToJsonNode(document.RootNode);
            if (node is not null)
            {
                documents.Add(node);
            }
        }

        return documents;
    }

    /// <summary>Parses a YAML text holding exactly one document.</summary>
    /// <exception cref="YamlFormatException">Not valid YAML, or not exactly one non-empty document.</exception>
    public static JsonNode Parse(string yaml)
    {
        var documents = ParseDocuments(yaml);
        return documents.Count == 1
            ? documents[0]
            : throw new YamlFormatException($"expected one YAML document, found {documents.Count}", null);
    }

    /// <summary>Writes a tree as one YAML document (no leading <c>---</c>), ending with a newline.</summary>
    public static string Serialize(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var settings = new EmitterSettings().WithBestWidth(int.MaxValue).WithIndentedSequences().WithNewLine("\n");
        var emitter = new Emitter(text, settings);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Emit(emitter, node);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static JsonNode? ToJsonNode(YamlNode node) => node switch
    {
        YamlMappingNode mapping => ToJsonObject(mapping),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJsonNode).ToArray()),
        YamlScalarNode scalar => ToJsonValue(scalar),
        _ => throw new YamlFormatException($"line {node.Start.Line}: unsupported YAML node {node.NodeType}", null),
    };

    private static JsonObject ToJsonObject(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw new YamlFormatException($"line {key.Start.Line}, column {key.Start.Column}: mapping keys must be strings", null);
            }

            if (result.ContainsKey(name))
            {
                throw new YamlFormatException($"line {key.Start.Line}, column {key.Start.Column}: duplicate key \"{name}\"", null);
            }

            result[name] = ToJsonNode(value);
        }

        return result;
    }

    private static JsonValue? ToJsonValue(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        var isTaggedString = scalar.Tag is { IsEmpty: false, IsNonSpecific: false, Value: "tag:yaml.org,2002:str" };
        if (scalar.Style != ScalarStyle.Plain || isTaggedString)
        {
            return JsonValue.Create(text);
        }

        return ResolvePlain(text);
    }

    private static JsonValue? ResolvePlain(string text)
    {
        if (text.Length == 0 || text is "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (TrueWords.Contains(text))
        {
            return JsonValue.Create(true);
        }

        if (FalseWords.Contains(text))
        {
            return JsonValue.Create(false);
        }

        if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(text);
    }

    private static readonly HashSet<string> TrueWords = ["true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"];
    private static readonly HashSet<string> FalseWords = ["false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N"];

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    private static void Emit(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case null:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                break;
            case JsonObject obj:
                emitter.Emit(new MappingStart(null, null, true, obj.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, value) in obj)
                {
                    EmitString(emitter, key);
                    Emit(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(null, null, true, array.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in array)
                {
                    Emit(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value:
                EmitValue(emitter, value);
                break;
        }
    }

    private static void EmitValue(IEmitter emitter, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                EmitString(emitter, value.GetValue<string>());
                break;
            case JsonValueKind.True:
            case JsonValueKind.False:
                emitter.Emit(new Scalar(null, null, value.GetValueKind() == JsonValueKind.True ? "true" : "false", ScalarStyle.Plain, true, false));
                break;
            case JsonValueKind.Number:
                emitter.Emit(new Scalar(null, null, FormatNumber(value), ScalarStyle.Plain, true, false));
                break;
            default:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                break;
        }
    }

    /// <summary>Formats a JSON number the shortest way that reads back to the same value.</summary>
    internal static string FormatNumber(JsonValue value)
    {
        if (value.TryGetValue<long>(out var l))
        {
            return l.ToString(CultureInfo.InvariantCulture);
        }

        if (value.TryGetValue<int>(out var i))
        {
            return i.ToString(CultureInfo.InvariantCulture);
        }

        if (value.TryGetValue<double>(out var d))
        {
            return d.ToString("R", CultureInfo.InvariantCulture);
        }

        // A number parsed from JSON text: its own text is already canonical JSON.
        return value.ToJsonString();
    }

    private static void EmitString(IEmitter emitter, string text)
    {
        var style = NeedsQuotes(text) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any;
        emitter.Emit(new Scalar(null, null, text, style, true, true));
    }

    private static bool NeedsQuotes(string text) =>
        ResolvePlain(text) is not { } resolved
        || resolved.GetValueKind() != JsonValueKind.String
        || text.Contains('\n', StringComparison.Ordinal)
        || LooksLikeOtherYamlNumber(text);

    // YAML 1.1 readers (kubectl's) also read these as numbers: octal, hex, sexagesimal, .inf, .nan.
    private static bool LooksLikeOtherYamlNumber(string text) =>
        OtherNumberPattern().IsMatch(text);

    [GeneratedRegex(@"^([-+]?0[xob][0-9a-fA-F_]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|[-+]?[0-9_.]+([eE][-+]?[0-9]+)?)$")]
    private static partial Regex OtherNumberPattern();
}
