using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Whetstone.Cli.Crds;

/// <summary>
/// Reads the summaries of the compiler's XML documentation file, which become CRD descriptions and the text of
/// <c>kubectl explain</c>.
/// </summary>
internal sealed partial class XmlDocumentation
{
    private readonly Dictionary<string, string> _summaries;

    private XmlDocumentation(Dictionary<string, string> summaries) => this._summaries = summaries;

    /// <summary>Loads the documentation file that the build puts beside the assembly.</summary>
    public static XmlDocumentation For(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{path} is missing: build {assembly.GetName().Name} with GenerateDocumentationFile so the CRDs get their descriptions");
        }

        var document = XDocument.Load(path);
        var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in document.Descendants("member"))
        {
            var name = member.Attribute("name")?.Value;
            var summary = member.Element("summary");
            if (name is not null && summary is not null)
            {
                summaries[name] = Flatten(summary);
            }
        }

        return new XmlDocumentation(summaries);
    }

    /// <summary>The summary of a type, or null when it has none.</summary>
    public string? Summary(Type type) => _summaries.GetValueOrDefault("T:" + type.FullName);

    /// <summary>The summary of a property (looked up on the type that declares it), or null when it has none.</summary>
    public string? Summary(PropertyInfo property) =>
        _summaries.GetValueOrDefault($"P:{property.DeclaringType!.FullName}.{property.Name}");

    private static string Flatten(XElement summary)
    {
        var text = string.Concat(summary.Nodes().Select(Render));
        return Whitespace().Replace(text, " ").Trim();
    }

    private static string Render(XNode node) => node switch
    {
        XText text => text.Value,
        XElement { Name.LocalName: "see" or "seealso" } see => CrefTail(see.Attribute("cref")?.Value ?? see.Attribute("langword")?.Value ?? ""),
        XElement { Name.LocalName: "paramref" or "typeparamref" } reference => reference.Attribute("name")?.Value ?? "",
        XElement element => string.Concat(element.Nodes().Select(Render)),
        _ => "",
    };

    private static string CrefTail(string cref) => cref[(cref.LastIndexOf('.') + 1)..];

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
