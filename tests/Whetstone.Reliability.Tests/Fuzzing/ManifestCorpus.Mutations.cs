using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Whetstone.Reliability.Tests.Fuzzing;

/// <summary>One method per mutation: each changes the document and says what may come back.</summary>
public sealed partial class ManifestCorpus
{
    private static readonly string[] UnicodeSamples =
    [
        "crab \U0001F980 emoji", "e\u0301 combining", "\u05e9\u05dc\u05d5\u05dd right-to-left \u202e override", "zero\u200bwidth",
        "nul\u0000byte", "bell\u0007 and escape\u001b", "\ufeffbyte order mark", "line\u2028separator", "last BMP \uffff",
        "last plane \U0010FFFF", "\u4e2d\u6587\u5b57\u7b26", "next line\u0085",
    ];

    private Draft WrongType(JsonObject doc, KindSeed seed)
    {
        var field = Pick(SpecFields(doc, seed).Where(f => f.Type.Length > 0 && f.Schema["x-kubernetes-int-or-string"] is null).ToList());
        JsonNode?[] values = field.Type switch
        {
            "string" => [12345, true, new JsonObject { ["a"] = 1 }, new JsonArray("x")],
            "integer" => ["seven", 1.5, true, new JsonArray(1)],
            "number" => ["1.5x", true, new JsonObject { ["v"] = 1 }],
            "boolean" => ["yes", 1, new JsonArray(true)],
            "object" => ["text", 7, new JsonArray(new JsonObject())],
            _ => [new JsonObject { ["a"] = 1 }, "x", 3],
        };
        var value = Pick(values);
        FieldPaths.Set(doc, field.Path, value);
        return new Draft($"{field.Text} = {Show(value)} ({field.Type} expected)", FuzzExpectation.RejectNamingField, field.Text);
    }

    private Draft MissingRequired(JsonObject doc, KindSeed seed, FuzzTransport transport)
    {
        var candidates = FieldPaths.Walk(doc, seed.Schema, []).Prepend(new SchemaField([], seed.Schema, seed.Schema))
            .Where(f => !f.InMap && FieldPaths.Get(doc, f.Path) is JsonObject && f.Schema["required"] is JsonArray)
            .SelectMany(f => f.Schema["required"]!.AsArray().Select(r => r!.GetValue<string>())
                .Where(r => r != "metadata" && FieldPaths.Get(doc, [.. f.Path, r]) is not null)
                .Select(r => (Path: (IReadOnlyList<object>)[.. f.Path, r], Defaulted: f.Schema["properties"]?[r]?["default"] is not null)))
            .ToList();
        var (path, defaulted) = Pick(candidates);
        // A merge patch keeps what it does not mention: removing a field is sending null (as kubectl apply does).
        FieldPaths.Set(doc, path, null, remove: transport != FuzzTransport.MergePatch);
        var text = FieldPaths.Format(path);
        return new Draft($"{text} removed (required{(defaulted ? ", has a default" : "")})",
            defaulted ? FuzzExpectation.AcceptOrRejectNamingField : FuzzExpectation.RejectNamingField, text);
    }

    private Draft OutOfRange(JsonObject doc, KindSeed seed)
    {
        var fields = SpecFields(doc, seed).Where(f => f.Schema["x-kubernetes-int-or-string"] is null).ToList();
        var bounded = fields.Where(f => f.Schema["minimum"] is not null || f.Schema["maximum"] is not null || f.Schema["enum"] is not null
            || f.Schema["maxLength"] is not null || f.Schema["pattern"] is not null || f.Schema["maxItems"] is not null
            || f.Schema["minItems"]?.ToJsonString() is { } and not "0" || f.Schema["minLength"]?.ToJsonString() is { } and not "0").ToList();
        if (_random.Next(4) == 0)
        {
            // Numbers at the edge of what a parser holds: accepted only where the schema has no bound that refuses them.
            var numeric = fields.Where(f => f.Type is "integer" or "number").ToList();
            var field = Pick(numeric);
            var raw = Pick(["1e308", "-1e308", "99999999999999999999999", "-9223372036854775809", "1e-400", "0.0000000000000000000001", "4294967296", "2.0", "1e3"]);
            FieldPaths.Set(doc, field.Path, Raw(raw));
            return new Draft($"{field.Text} = {raw} (extreme {field.Type})", FuzzExpectation.AcceptOrRejectNamingField, field.Text);
        }
        var target = Pick(bounded);
        var (value, why) = Violating(target, FieldPaths.Get(doc, target.Path));
        FieldPaths.Set(doc, target.Path, value);
        return new Draft($"{target.Text} = {Show(value)} ({why})", FuzzExpectation.RejectNamingField, target.Text);
    }

    private (JsonNode? Value, string Why) Violating(SchemaField field, JsonNode? current)
    {
        var schema = field.Schema;
        var integer = field.Type == "integer";
        var options = new List<Func<(JsonNode?, string)>>();
        if (schema["minimum"] is { } min)
        {
            var m = NumberOf(min);
            var exclusive = schema["exclusiveMinimum"]?.GetValue<bool>() == true;
            options.Add(() => (Number(exclusive ? m : m - (integer ? 1 : 0.5), integer), $"minimum {m}{(exclusive ? " exclusive" : "")}"));
        }
        if (schema["maximum"] is { } max)
        {
            var m = NumberOf(max);
            var exclusive = schema["exclusiveMaximum"]?.GetValue<bool>() == true;
            options.Add(() => (Number(exclusive ? m : m + (integer ? 1 : 0.5), integer), $"maximum {m}{(exclusive ? " exclusive" : "")}"));
        }
        if (schema["enum"] is JsonArray)
        {
            options.Add(() => ("NotAnOption", "enum"));
        }
        if (schema["maxLength"] is { } maxLength)
        {
            options.Add(() => (new string('a', (int)NumberOf(maxLength) + 1), $"maxLength {maxLength}"));
        }
        if (schema["minLength"]?.ToJsonString() is { } and not "0")
        {
            options.Add(() => ("", "minLength"));
        }
        if (schema["pattern"] is { } pattern)
        {
            options.Add(() => ("%% does not match %%", $"pattern {pattern}"));
        }
        if (schema["maxItems"] is { } maxItems)
        {
            var item = current is JsonArray { Count: > 0 } list ? list[0] : JsonValue.Create("x");
            options.Add(() => (new JsonArray([.. Enumerable.Range(0, (int)NumberOf(maxItems) + 1).Select(_ => item?.DeepClone())]), $"maxItems {maxItems}"));
        }
        if (schema["minItems"]?.ToJsonString() is { } and not "0")
        {
            options.Add(() => (new JsonArray(), "minItems"));
        }
        return Pick(options)();
    }

    private static double NumberOf(JsonNode node) => double.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);

    private static JsonNode Number(double value, bool integer) => integer ? JsonValue.Create((long)value) : JsonValue.Create(value);

    private Draft BrokenRule(ref JsonObject doc, KindSeed seed, string name, ref FuzzTransport transport, ref bool strict)
    {
        var (manifest, field) = Pick(seed.InvalidExamples);
        doc = (JsonObject)manifest.DeepClone();
        doc["metadata"] = new JsonObject { ["name"] = name };
        // A merge patch keeps the stored fields a broken file leaves out; the files are meant to be sent whole.
        if (transport == FuzzTransport.MergePatch)
        {
            transport = FuzzTransport.Update;
        }
        strict = true;
        return new Draft($"examples/invalid breaking {field}", FuzzExpectation.RejectNamingField, field);
    }

    private List<SchemaField> FreeTextFields(JsonObject doc, KindSeed seed) =>
        [.. SpecFields(doc, seed).Where(f => f.Type == "string" && f.Schema["enum"] is null && FieldPaths.Get(doc, f.Path) is JsonValue)];

    private Draft HugeString(JsonObject doc, KindSeed seed)
    {
        // 1 MiB, or 200 KiB in an annotation (under kube-apiserver's 256 KiB for all annotations, so it must be kept whole).
        var annotate = _random.Next(3) == 0;
        var length = annotate && _random.Next(2) == 0 ? 200 << 10 : 1 << 20;
        var text = new StringBuilder(length + 64);
        while (text.Length < length)
        {
            text.Append("the quick brown fox \u00e9\u00e8 \U0001F980 ").Append(text.Length % 97);
        }
        var value = text.ToString();
        var fields = FreeTextFields(doc, seed);
        if (annotate || fields.Count == 0)
        {
            IReadOnlyList<object> annotation = ["metadata", "annotations", "fuzz.whetstone.dev/huge"];
            doc["metadata"]!["annotations"] = new JsonObject { ["fuzz.whetstone.dev/huge"] = value };
            return new Draft($"metadata.annotations[fuzz.whetstone.dev/huge] = {value.Length:N0} characters", FuzzExpectation.AcceptOrRejectNamingField,
                "metadata.annotations", annotation, value);
        }
        var field = Pick(fields);
        FieldPaths.Set(doc, field.Path, value);
        return new Draft($"{field.Text} = {value.Length:N0} characters", FuzzExpectation.AcceptOrRejectNamingField, field.Text, field.Path, value);
    }

    private Draft DeepNesting(JsonObject doc, KindSeed seed, ref bool strict)
    {
        var depth = Pick([60, 65, 200, 1000, 10_000, 100_000]);
        var (open, close, shape) = Pick([("{\"a\":", "}", "objects"), ("[", "]", "lists")]);
        var raw = new StringBuilder(depth * (open.Length + 1) + 8);
        raw.Insert(0, open, depth).Append('1').Insert(raw.Length, close, depth);
        strict = false;
        if (_random.Next(2) == 0)
        {
            doc["spec"]!["fuzzNested"] = Raw(raw.ToString());
            return new Draft($"spec.fuzzNested (unknown) = {shape} nested {depth} deep", FuzzExpectation.AcceptOrReject, null, MustBeAbsent: "spec.fuzzNested");
        }
        var field = Pick(SpecFields(doc, seed).Where(f => f.Type == "object").ToList());
        FieldPaths.Set(doc, field.Path, Raw(raw.ToString()));
        return new Draft($"{field.Text} = {shape} nested {depth} deep", FuzzExpectation.AcceptOrReject, null);
    }

    private Draft Unicode(JsonObject doc, KindSeed seed, ref FuzzTransport transport)
    {
        var fields = FreeTextFields(doc, seed);
        switch (_random.Next(6))
        {
            case 0:
                {
                    var name = Pick(["t\u00ebst-\u540d\u524d", "crab-\U0001F980", "nul\u0000name"]);
                    doc["metadata"]!["name"] = name;
                    if (transport is FuzzTransport.Update or FuzzTransport.MergePatch or FuzzTransport.ServerSideApply)
                    {
                        transport = FuzzTransport.CreateJson;
                    }
                    return new Draft($"metadata.name = {Show(name)}", FuzzExpectation.RejectNamingField, "metadata.name");
                }
            case 1:
                {
                    var value = Pick(["\u00fcn\u00efc\u00f6de", "tab\there", "crab\U0001F980"]);
                    doc["metadata"]!["labels"] = new JsonObject { ["fuzz"] = value };
                    return new Draft($"metadata.labels[fuzz] = {Show(value)}", FuzzExpectation.RejectNamingField, "metadata.labels");
                }
            case 2:
                {
                    // An escaped lone surrogate is legal JSON text but no valid string; Go's decoder reads it as U+FFFD.
                    var field = Pick(fields);
                    FieldPaths.Set(doc, field.Path, Raw("\"lone \\ud800 surrogate\""));
                    return new Draft($"{field.Text} = \"lone \\ud800 surrogate\" (escaped lone surrogate)", FuzzExpectation.AcceptOrReject, field.Text);
                }
            case 3:
                {
                    var field = Pick(fields);
                    FieldPaths.Set(doc, field.Path, "bad " + BadUtf8Marker + " bytes");
                    return new Draft($"{field.Text} = bytes FF C3 28 (invalid UTF-8)", FuzzExpectation.AcceptOrReject, field.Text);
                }
            default:
                {
                    var field = Pick(fields);
                    var value = Pick(UnicodeSamples);
                    FieldPaths.Set(doc, field.Path, value);
                    return new Draft($"{field.Text} = {Show(value)}", FuzzExpectation.AcceptOrRejectNamingField, field.Text, field.Path, value);
                }
        }
    }

    private Draft UnknownField(JsonObject doc, KindSeed seed, bool strict)
    {
        var objects = SpecFields(doc, seed).Where(f => f.Type == "object" && f.Schema["additionalProperties"] is null
            && f.Schema["x-kubernetes-preserve-unknown-fields"] is null && FieldPaths.Get(doc, f.Path) is JsonObject).Select(f => f.Path)
            .Prepend(["spec"]).ToList();
        var path = Pick(objects);
        var key = $"fuzzUnknown{_random.Next(1000).ToString(CultureInfo.InvariantCulture)}";
        JsonNode?[] values = ["text", 42, new JsonObject { ["x"] = new JsonArray(1, 2) }, new JsonArray("y")];
        var value = Pick(values);
        IReadOnlyList<object> full = [.. path, key];
        ((JsonObject)FieldPaths.Get(doc, path)!)[key] = value;
        var text = FieldPaths.Format(full);
        return strict
            ? new Draft($"{text} = {Show(value)} (unknown, strict)", FuzzExpectation.RejectNamingField, text)
            : new Draft($"{text} = {Show(value)} (unknown, pruned)", FuzzExpectation.Accept, null, MustBeAbsent: text);
    }

    private Draft NullValue(JsonObject doc, KindSeed seed)
    {
        var field = Pick(SpecFields(doc, seed).Where(f => f.Type is "object" or "array").ToList());
        FieldPaths.Set(doc, field.Path, null);
        // null drops a field that is not nullable (as kube-apiserver prunes it), so a refusal may come from the rule of
        // the object that held it: it must name that object (a path that also prefixes the field's own).
        var holder = FieldPaths.Format([.. field.Path.Take(field.Path.Count - 1)]);
        return new Draft($"{field.Text} = null ({field.Type} expected)", FuzzExpectation.AcceptOrRejectNamingField, holder);
    }

    private Draft Metadata(JsonObject doc, ref FuzzTransport transport)
    {
        // The name is the object's identity: updates and patches of an existing object take it from the URL.
        if (transport is FuzzTransport.Update or FuzzTransport.MergePatch)
        {
            transport = FuzzTransport.CreateJson;
        }
        var metadata = doc["metadata"]!.AsObject();
        var (field, value) = Pick<(string, JsonNode?)>(
        [
            ("metadata.name", 42), ("metadata.name", "Upper_Case!"), ("metadata.name", new string('a', 300)),
            ("metadata.labels", new JsonObject { ["fuzz"] = 5 }), ("metadata.labels", new JsonArray("fuzz")),
            ("metadata.labels", new JsonObject { ["bad key!"] = "v" }), ("metadata.labels", new JsonObject { ["fuzz"] = new string('v', 64) }),
            ("metadata.annotations", new JsonObject { ["fuzz"] = new JsonObject { ["b"] = 1 } }), ("metadata.annotations", "text"),
            ("metadata.finalizers", "fuzz"), ("metadata.finalizers", new JsonArray(1)), ("metadata.generateName", 7),
            ("metadata.ownerReferences", new JsonObject { ["a"] = 1 }), ("metadata.namespace", new JsonArray("x")),
            ("metadata", "just a string"), ("metadata", new JsonArray(1)), ("apiVersion", 1), ("kind", new JsonArray("x")),
        ]);
        switch (field)
        {
            case "metadata":
                doc["metadata"] = value;
                break;
            case "apiVersion" or "kind":
                doc[field] = value;
                break;
            default:
                metadata[field["metadata.".Length..]] = value;
                break;
        }
        return new Draft($"{field} = {Show(value)}", FuzzExpectation.RejectNamingField, field);
    }

    private (byte[] Body, string Description) MalformedBody(JsonObject doc, FuzzTransport transport)
    {
        var yaml = transport is FuzzTransport.CreateYaml or FuzzTransport.ServerSideApply;
        var text = yaml ? YamlText.Write(doc) : doc.ToJsonString(Relaxed);
        var name = doc["metadata"]!["name"]!.GetValue<string>();
        var spec = doc["spec"]!.ToJsonString(Relaxed);
        var bomb = new StringBuilder("a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
        for (var level = 1; level < 10; level++)
        {
            bomb.Append(CultureInfo.InvariantCulture, $"a{level}: &a{level} [").AppendJoin(", ", Enumerable.Repeat($"*a{level - 1}", 10)).Append("]\n");
        }
        var head = $"apiVersion: whetstone.dev/v1alpha1\nkind: {doc["kind"]}\nmetadata:\n  name: {name}\n";
        var variants = yaml
            ? new (string, string)[]
            {
                (text[..Math.Max(1, _random.Next(text.Length))], "YAML cut short"),
                (head + "spec: " + spec + "\nspec: " + spec + "\n", "YAML with a duplicate key"),
                (head + "? [a, b]\n: c\nspec: " + spec + "\n", "YAML with a list as a key"),
                (head + "? {a: 1}\n: c\nspec: " + spec + "\n", "YAML with a map as a key"),
                (head + "spec:\n\tbroken: tab\n", "YAML indented with a tab"),
                (head + bomb + "spec: " + spec + "\n", "YAML alias bomb (10^10 nodes)"),
                (head + "spec: " + spec + "\n---\nsecond: document\n", "two YAML documents"),
                (head + "spec: &s " + spec + "\nother: *s\nalias: *undefined\n", "YAML alias to an undefined anchor"),
                (head + "spec: !!binary aGVsbG8=\n", "YAML binary tag where an object is expected"),
            }
            : new (string, string)[]
            {
                (text[..Math.Max(1, _random.Next(text.Length))], "JSON cut short"),
                ($"{{\"apiVersion\":\"whetstone.dev/v1alpha1\",\"kind\":\"{doc["kind"]}\",\"metadata\":{{\"name\":\"{name}\"}},\"spec\":{spec},\"spec\":{spec}}}", "JSON with a duplicate key"),
                ("[]", "a JSON list"), ("null", "JSON null"), ("\"text\"", "a JSON string"), ("", "an empty body"),
                (text + " trailing", "JSON followed by text"), (text.Replace("{", "{ // comment\n", StringComparison.Ordinal), "JSON with comments"),
                ($"{{\"apiVersion\":\"whetstone.dev/v1alpha1\",\"kind\":\"{doc["kind"]}\",\"metadata\":{{\"name\":\"{name}\"}},\"spec\":NaN}}", "JSON with NaN"),
            };
        var (body, description) = Pick(variants);
        return (Encoding.UTF8.GetBytes(body), description);
    }

    private static string Show(JsonNode? value)
    {
        var text = value is null ? "null" : value.ToJsonString(Relaxed);
        return text.Length > 60 ? text[..40] + $"… ({text.Length:N0} characters)" : text;
    }
}
