using System.Xml.Linq;

namespace Whetstone.Chart.Tests.Images;

/// <summary>A project and every project it references, directly or not, as repository-relative paths.</summary>
internal static class ProjectClosure
{
    public static IReadOnlySet<string> Of(string repositoryRelativeProject)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(RepositoryRoot.Combine(repositoryRelativeProject))]);
        while (pending.TryPop(out var project))
        {
            if (!found.Add(Path.GetRelativePath(RepositoryRoot.Path, project).Replace('\\', '/')))
            {
                continue;
            }

            foreach (var reference in XDocument.Load(project).Descendants("ProjectReference"))
            {
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, (string)reference.Attribute("Include")!)));
            }
        }

        return found;
    }

    /// <summary>The csproj's AssemblyName (the executable's name).</summary>
    public static string AssemblyName(string repositoryRelativeProject) =>
        (string)XDocument.Load(RepositoryRoot.Combine(repositoryRelativeProject)).Descendants("AssemblyName").Single();
}
