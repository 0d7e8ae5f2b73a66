using System.CommandLine;
using Whetstone.Cli.Crds;

namespace Whetstone.Cli.Tests.Crds;

public sealed class CrdsCommandTest : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("whetstone-crds-").FullName;

    [Fact]
    public async Task Crds_command_writes_one_file_per_kind_and_check_passes_on_them()
    {
        var written = await RunAsync("crds", "--output", _folder);
        var checkedClean = await RunAsync("crds", "--check", "--output", _folder);

        Assert.Equal(0, written);
        Assert.Equal(0, checkedClean);
        Assert.Equal(
            ["compressionjobs.whetstone.dev.yaml", "evaluationruns.whetstone.dev.yaml", "finetunejobs.whetstone.dev.yaml", "modelrollouts.whetstone.dev.yaml"],
            Directory.GetFiles(_folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Check_fails_and_names_the_fix_when_a_file_was_edited_by_hand()
    {
        await RunAsync("crds", "--output", _folder);
        var file = Path.Combine(_folder, "finetunejobs.whetstone.dev.yaml");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("minimum: 1\n", "minimum: 2\n", StringComparison.Ordinal));

        var exitCode = await RunAsync("crds", "--check", "--output", _folder);
        var drift = CrdDrift.Find(_folder, CrdGenerator.GenerateAll());

        Assert.Equal(1, exitCode);
        var problem = Assert.Single(drift);
        Assert.Contains("finetunejobs.whetstone.dev.yaml", problem, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project operator/Whetstone.Cli -- crds", problem, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Task<int> RunAsync(params string[] args)
    {
        var root = new RootCommand();
        foreach (var command in CliCommands.All())
        {
            root.Subcommands.Add(command);
        }

        return root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null });
    }
}
