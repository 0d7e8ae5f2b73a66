using System.Globalization;
using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Api;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Whetstone.LocalCluster.Patching;

/// <summary>
/// Reads a YAML (or JSON) document into JSON nodes, with YAML 1.2 core-schema scalar typing. Request bodies are
/// untrusted, so it reads parser events with bounds instead of YamlDotNet's recursive object model: nesting deeper than
/// <see cref="MaxDepth"/> (as the JSON reader allows), aliases that would expand the document past
/// <see cref="MaxAliasExpansion"/> nodes (a "billion laughs" body), duplicate keys and keys that are not scalars are
/// each a 400 naming the line, never a stack overflow, a hang or a 500.
/// </summary>
internal static class YamlJson
{
    /// <summary>The deepest nesting read, the same as the JSON reader's default.</summary>
    public const int MaxDepth = 64;

    /// <summary>How many nodes aliases may copy in: at least this many, or ten times the nodes the text spells out.</summary>
    public const int MaxAliasExpansion = 10_000;

    public static JsonNode? Parse(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            return RequestJson.Parse(text);
        }
        try
        {
            return new Reader(new Parser(new StringReader(text))).ReadFirstDocument();
        }
        catch (YamlException e)
        {
            throw ApiException.BadRequest($"error converting YAML to JSON: yaml: line {e.Start.Line}: {e.Message}");
        }
    }

    private static ApiException Refused(ParsingEvent at, string message) =>
        ApiException.BadRequest($"error converting YAML to JSON: yaml: line {at.Start.Line}: {message}");

    /// <summary>One document's reader: its anchors and how many nodes it has built, spelled out and copied by aliases.</summary>
    private sealed class Reader(IParser parser)
    {
        private readonly Dictionary<string, (JsonNode? Node, long Size)> _anchors = new(StringComparer.Ordinal);
        private long _spelledOut;
        private long _copied;

        public JsonNode? ReadFirstDocument()
        {
            parser.Consume<StreamStart>();
            if (!parser.TryConsume<DocumentStart>(out _))
            {
                return null;
            }
            return Read(depth: 0).Node;
        }

        private (JsonNode? Node, long Size) Read(int depth)
        {
            var at = parser.Current!;
            if (depth > MaxDepth)
            {
                throw Refused(at, $"nesting deeper than {MaxDepth} levels");
            }
            switch (at)
            {
                case AnchorAlias alias:
                    parser.MoveNext();
                    return Copy(alias);
                case Scalar scalar:
                    parser.MoveNext();
                    _spelledOut++;
                    return Anchor(scalar, (ScalarValue(scalar), 1));
                case SequenceStart start:
                    {
                        parser.MoveNext();
                        _spelledOut++;
                        var list = new JsonArray();
                        long size = 1;
                        while (!parser.TryConsume<SequenceEnd>(out _))
                        {
                            var (item, itemSize) = Read(depth + 1);
                            list.Add(item);
                            size += itemSize;
                        }
                        return Anchor(start, (list, size));
                    }
                case MappingStart start:
                    {
                        parser.MoveNext();
                        _spelledOut++;
                        var map = new JsonObject();
                        long size = 1;
                        while (!parser.TryConsume<MappingEnd>(out _))
                        {
                            var keyEvent = parser.Current!;
                            if (keyEvent is not Scalar key)
                            {
                                throw Refused(keyEvent, "a mapping key must be a scalar (a string, number or boolean), not a list, a map or an alias");
                            }
                            parser.MoveNext();
                            var name = RequestJson.RepairSurrogates(key.Value);
                            if (map.ContainsKey(name))
                            {
                                throw Refused(key, $"mapping key \"{name}\" already defined");
                            }
                            var (value, valueSize) = Read(depth + 1);
                            map[name] = value;
                            size += valueSize;
                        }
                        return Anchor(start, (map, size));
                    }
                default:
                    throw Refused(at, $"unexpected {at.GetType().Name}");
            }
        }

        private (JsonNode? Node, long Size) Anchor(NodeEvent node, (JsonNode? Node, long Size) value)
        {
            if (!node.Anchor.IsEmpty)
            {
                _anchors[node.Anchor.Value] = value;
            }
            return value;
        }

        private (JsonNode? Node, long Size) Copy(AnchorAlias alias)
        {
            if (!_anchors.TryGetValue(alias.Value.Value, out var anchored))
            {
                throw Refused(alias, $"unknown anchor '{alias.Value.Value}' referenced");
            }
            _copied += anchored.Size;
            if (_copied > Math.Max(MaxAliasExpansion, 10 * _spelledOut))
            {
                throw Refused(alias, "document contains excessive aliasing");
            }
            return (anchored.Node?.DeepClone(), anchored.Size);
        }
    }

    private static JsonNode? ScalarValue(Scalar scalar)
    {
        var value = RequestJson.RepairSurrogates(scalar.Value);
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(value);
        }
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }
        if (System.Text.RegularExpressions.Regex.IsMatch(value, @"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }
        return JsonValue.Create(value);
    }
}
