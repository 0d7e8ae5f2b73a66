namespace Whetstone.Operator.Tests.Rollouts;

/// <summary>A prompt the load generator sends and the answer that counts as right.</summary>
internal sealed record LoadQuestion(string Prompt, string Answer);
