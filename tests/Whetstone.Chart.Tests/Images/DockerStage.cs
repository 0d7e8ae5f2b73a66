namespace Whetstone.Chart.Tests.Images;

/// <summary>One stage of a Dockerfile: its base (an image, a <c>${ARG}</c> or another stage), its name and its instructions.</summary>
internal sealed record DockerStage(string From, string Name, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<string> Arguments(string keyword) => Instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments);

    public string Single(string keyword) => Assert.Single(Arguments(keyword));
}
