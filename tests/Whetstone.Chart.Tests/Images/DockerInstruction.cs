namespace Whetstone.Chart.Tests.Images;

/// <summary>One Dockerfile instruction: its keyword (upper case) and the rest of the line, continuations joined.</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments);
