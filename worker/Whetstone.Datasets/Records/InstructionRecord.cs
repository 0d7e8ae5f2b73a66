using System.Text.Json;

namespace Whetstone.Datasets.Records;

/// <summary>An instruction and the expected output: <c>{"instruction": "…", "input": "…", "output": "…"}</c>.</summary>
/// <param name="Instruction">What to do.</param>
/// <param name="Input">Optional material to do it on.</param>
/// <param name="Output">The answer the model should learn.</param>
public sealed record InstructionRecord(string Instruction, string? Input, string Output) : DatasetRecord
{
    /// <inheritdoc />
    public override DatasetFormat Format => DatasetFormat.Instruction;

    /// <inheritdoc />
    public override IEnumerable<string> TextFields =>
        Input is null ? [Instruction, Output] : [Instruction, Input, Output];

    /// <summary>Empty when the instruction or the output is blank.</summary>
    public override bool IsEmpty => string.IsNullOrWhiteSpace(Instruction) || string.IsNullOrWhiteSpace(Output);

    /// <inheritdoc />
    public override DatasetRecord MapText(Func<string, string> map) =>
        new InstructionRecord(map(Instruction), Input is null ? null : map(Input), map(Output));

    /// <inheritdoc />
    public override void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("instruction", Instruction);
        if (Input is not null)
        {
            writer.WriteString("input", Input);
        }

        writer.WriteString("output", Output);
        writer.WriteEndObject();
    }
}
