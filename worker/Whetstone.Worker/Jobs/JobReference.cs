namespace Whetstone.Worker.Jobs;

/// <summary>A spec's reference to another job: its kind and plural, its name, and the spec field that names it.</summary>
internal sealed record JobReference(string Kind, string Plural, string Name, string Field);
