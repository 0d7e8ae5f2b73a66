namespace Whetstone.Chart.Tests.Images;

/// <summary>
/// A Dockerfile read into its global ARG defaults and stages, each an ordered list of instructions (continuation
/// lines joined, comments dropped). Enough to check what the images are made of without a container builder.
/// </summary>
internal sealed class Dockerfile
{
    private Dockerfile(IReadOnlyDictionary<string, string> globalArgs, IReadOnlyList<DockerStage> stages)
    {
        GlobalArgs = globalArgs;
        Stages = stages;
    }

    public IReadOnlyDictionary<string, string> GlobalArgs { get; }

    public IReadOnlyList<DockerStage> Stages { get; }

    public DockerStage Stage(string name) => Assert.Single(Stages, s => s.Name == name);

    public static Dockerfile Load(string path)
    {
        var globalArgs = new Dictionary<string, string>(StringComparer.Ordinal);
        var stages = new List<DockerStage>();
        foreach (var (keyword, arguments) in Instructions(File.ReadAllLines(path)))
        {
            if (keyword == "FROM")
            {
                var parts = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                stages.Add(new DockerStage(parts[0], parts.Length == 3 ? parts[2] : $"stage-{stages.Count}", new List<DockerInstruction>()));
            }
            else if (stages.Count == 0 && keyword == "ARG")
            {
                var (name, value) = SplitArg(arguments);
                globalArgs[name] = value;
            }
            else if (stages.Count > 0)
            {
                ((List<DockerInstruction>)stages[^1].Instructions).Add(new DockerInstruction(keyword, arguments));
            }
        }

        return new Dockerfile(globalArgs, stages);
    }

    public static (string Name, string Value) SplitArg(string arguments)
    {
        var equals = arguments.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (arguments.Trim(), string.Empty) : (arguments[..equals].Trim(), arguments[(equals + 1)..].Trim());
    }

    private static IEnumerable<(string Keyword, string Arguments)> Instructions(IEnumerable<string> lines)
    {
        var current = string.Empty;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && current.Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }

            current += line;
            if (current.Length > 0)
            {
                var space = current.IndexOf(' ', StringComparison.Ordinal);
                yield return (current[..space].ToUpperInvariant(), current[(space + 1)..].Trim());
            }

            current = string.Empty;
        }
    }
}
