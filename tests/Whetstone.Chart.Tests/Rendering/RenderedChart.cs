using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Whetstone.Chart.Tests.Rendering;

/// <summary>The objects <c>helm template</c> would print, and the rendered NOTES.txt.</summary>
internal sealed class RenderedChart(IReadOnlyList<RenderedObject> objects, string notes)
{
    public IReadOnlyList<RenderedObject> Objects { get; } = objects;

    public string Notes { get; } = notes;

    public IEnumerable<RenderedObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    public RenderedObject Single(string kind, string name) =>
        Assert.Single(Objects, o => o.Kind == kind && o.Name == name);

    public static RenderedChart Parse(string stream, string notes)
    {
        var objects = new List<RenderedObject>();
        foreach (var document in SplitDocuments(stream))
        {
            var yaml = new YamlStream();
            yaml.Load(new StringReader(document));
            var root = Assert.IsType<YamlMappingNode>(Assert.Single(yaml.Documents).RootNode);
            var json = (JsonObject)YamlJson.ToJson(root)!;
            var metadata = json["metadata"]!.AsObject();
            objects.Add(new RenderedObject(
                (string)json["apiVersion"]!, (string)json["kind"]!, (string)metadata["name"]!, (string?)metadata["namespace"], document, json));
        }

        return new RenderedChart(objects, notes);
    }

    // Each document's own text (for kubectl), without the ones holding only comments.
    private static List<string> SplitDocuments(string stream)
    {
        var documents = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (var line in stream.Split('\n'))
        {
            if (line == "---")
            {
                if (current.Length > 0 || documents.Count > 0)
                {
                    documents.Add(current.ToString());
                }

                current.Clear();
                continue;
            }

            current.Append(line).Append('\n');
        }

        documents.Add(current.ToString());
        return documents.Where(d => d.Split('\n').Any(l => l.Length > 0 && !l.StartsWith('#'))).ToList();
    }
}
