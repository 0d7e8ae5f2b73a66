using System.Text.RegularExpressions;
using Whetstone.Chart.Tests.Rendering;

namespace Whetstone.Chart.Tests.Images;

/// <summary>
/// What the images are made of, read from Dockerfile.operator and Dockerfile.worker (no container builder runs here):
/// pinned bases, a restore layer of project files only, linux-x64 publishing, labels and version, and the user,
/// entrypoint, working directory and port the chart relies on.
/// </summary>
public sealed partial class DockerfilesTest
{
    public static TheoryData<string, string> Images => new()
    {
        { "Dockerfile.operator", "operator/Whetstone.Operator/Whetstone.Operator.csproj" },
        { "Dockerfile.worker", "worker/Whetstone.Worker/Whetstone.Worker.csproj" },
    };

    private static Dockerfile Load(string file) => Dockerfile.Load(RepositoryRoot.Combine(file));

    [Theory]
    [MemberData(nameof(Images))]
    public void Every_base_image_is_pinned_to_an_exact_version(string file, string project)
    {
        var dockerfile = Load(file);

        var images = dockerfile.GlobalArgs.Where(a => a.Key.EndsWith("_IMAGE", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(images);
        Assert.All(images, a => Assert.Matches(ExactVersionTag(), a.Value));
        var stageNames = dockerfile.Stages.Select(s => s.Name).ToHashSet();
        Assert.All(dockerfile.Stages, s => Assert.True(
            s.From.StartsWith("${", StringComparison.Ordinal) && dockerfile.GlobalArgs.ContainsKey(s.From[2..^1]) || stageNames.Contains(s.From) || s.From.StartsWith("runtime-${", StringComparison.Ordinal),
            $"{file}: stage {s.Name} is FROM {s.From}, neither a pinned ARG image nor an earlier stage ({project})"));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Restore_runs_in_its_own_layer_from_the_project_files_alone(string file, string project)
    {
        var restore = Load(file).Stage("restore");

        var copied = restore.Arguments("COPY").SelectMany(c => c.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1]).ToHashSet();
        Assert.All(ProjectClosure.Of(project), p => Assert.Contains(p, copied));
        Assert.Contains("Directory.Packages.props", copied);
        Assert.Contains("Directory.Build.props", copied);
        Assert.All(copied, c => Assert.True(c.EndsWith(".csproj", StringComparison.Ordinal) || c.EndsWith(".props", StringComparison.Ordinal) || c == "global.json", $"{file}: the restore layer copies {c}, so any change to it repeats the restore"));
        Assert.Contains("dotnet restore", restore.Single("RUN"), StringComparison.Ordinal);
        var build = Load(file).Stage("build");
        Assert.Equal("restore", build.From);
        Assert.Contains("--no-restore", build.Single("RUN"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Restore_and_publish_target_linux_x64_only_with_the_version_build_argument(string file, string project)
    {
        var dockerfile = Load(file);

        var commands = dockerfile.Stages.SelectMany(s => s.Arguments("RUN")).Where(r => r.Contains("dotnet restore", StringComparison.Ordinal) || r.Contains("dotnet publish", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, commands.Count);
        Assert.All(commands, c => Assert.Contains("-r linux-x64", c, StringComparison.Ordinal));
        var publish = Assert.Single(commands, c => c.Contains("dotnet publish", StringComparison.Ordinal));
        Assert.Contains(project, publish, StringComparison.Ordinal);
        Assert.Contains("--self-contained false", publish, StringComparison.Ordinal);
        Assert.Contains("-p:Version=${VERSION}", publish, StringComparison.Ordinal);
        var labels = dockerfile.Stage("final").Single("LABEL");
        foreach (var label in new[] { "title", "description", "version=\"${VERSION}\"", "source", "licenses" })
        {
            Assert.Contains("org.opencontainers.image." + label, labels, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Images))]
    public async Task The_final_image_runs_as_the_chart_expects(string file, string project)
    {
        var final = Load(file).Stage("final");
        var values = YamlJson.Parse(File.ReadAllText(RepositoryRoot.Combine("helm", "whetstone", "values.yaml")));

        Assert.Equal("/app", final.Single("WORKDIR"));
        Assert.Equal($"[\"/app/{ProjectClosure.AssemblyName(project)}\"]", final.Single("ENTRYPOINT"));
        Assert.Equal("COPY --from=build /out .", "COPY " + final.Single("COPY"));
        var podSecurity = file == "Dockerfile.operator" ? values["podSecurityContext"]! : values["worker"]!["podSecurityContext"]!;
        Assert.Equal($"{(long)podSecurity["runAsUser"]!}:{(long)podSecurity["runAsGroup"]!}", final.Single("USER"));
        if (file == "Dockerfile.operator")
        {
            Assert.Equal(((long)values["metrics"]!["port"]!).ToString(System.Globalization.CultureInfo.InvariantCulture), final.Single("EXPOSE"));
            var chart = await ChartRenderer.RenderAsync();
            var container = chart.Single("Deployment", "whetstone-operator").Json["spec"]!["template"]!["spec"]!["containers"]![0]!;
            Assert.Null(container["command"]);
            Assert.Contains(container["volumeMounts"]!.AsArray(), m => ((string)m!["mountPath"]!).StartsWith("/app/", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_CUDA_worker_gets_the_official_ASP_NET_Core_runtime_and_both_flavours_get_fonts()
    {
        var dockerfile = Load("Dockerfile.worker");

        Assert.Equal("runtime-${FLAVOR}", dockerfile.Stage("final").From);
        Assert.Equal("cpu", dockerfile.GlobalArgs["FLAVOR"]);
        // ASP.NET Core, not the bare runtime: `whetstone-worker serve` is a Kestrel server.
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:", dockerfile.GlobalArgs["RUNTIME_IMAGE"], StringComparison.Ordinal);
        Assert.Equal("${RUNTIME_IMAGE}", dockerfile.Stage("dotnet-runtime").From);
        var cuda = dockerfile.Stage("runtime-cuda");
        Assert.Equal("${CUDA_IMAGE}", cuda.From);
        Assert.Contains("--from=dotnet-runtime /usr/share/dotnet /usr/share/dotnet", cuda.Arguments("COPY"));
        Assert.Contains("DOTNET_ROOT=/usr/share/dotnet", cuda.Arguments("ENV"));
        foreach (var stage in new[] { "runtime-cpu", "runtime-cuda" })
        {
            Assert.Contains("fonts-dejavu-core", string.Join(' ', dockerfile.Stage(stage).Arguments("RUN")), StringComparison.Ordinal);
        }

        Assert.Contains("-p:TorchSharpFlavor=${FLAVOR}", dockerfile.Stage("build").Single("RUN"), StringComparison.Ordinal);
        // The malloc settings the embedded node's stand-in for this image uses too.
        Assert.Contains($"{Api.Workers.WorkerProcessEnvironment.GlibcTunablesVariable}={Api.Workers.WorkerProcessEnvironment.GlibcTunables}", dockerfile.Stage("final").Arguments("ENV"));
    }

    [Fact]
    public void The_build_context_leaves_out_build_outputs_and_keeps_every_copied_path()
    {
        var ignored = File.ReadAllLines(RepositoryRoot.Combine(".dockerignore")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        foreach (var pattern in new[] { "**/bin/", "**/obj/", ".git/", "tests/" })
        {
            Assert.Contains(pattern, ignored);
        }

        foreach (var (file, _) in new[] { ("Dockerfile.operator", ""), ("Dockerfile.worker", "") })
        {
            var sources = Load(file).Stages.SelectMany(s => s.Arguments("COPY")).Where(c => !c.StartsWith("--from", StringComparison.Ordinal))
                .SelectMany(c => c.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1]);
            Assert.All(sources, s => Assert.DoesNotContain(ignored, i => s.StartsWith(i.TrimEnd('/') + "/", StringComparison.Ordinal) || s == i));
        }
    }

    [GeneratedRegex(@"^[a-z0-9./-]+/[a-z0-9._/-]+:\d+\.\d+\.\d+[a-z0-9.-]*$")]
    private static partial Regex ExactVersionTag();
}
