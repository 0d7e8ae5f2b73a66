namespace Whetstone.Api;

/// <summary>Values of <c>format</c> on a dataset source.</summary>
public static class DatasetFormats
{
    /// <summary>JSON Lines of <c>{messages: [{role, content}]}</c>.</summary>
    public const string Chat = "chat";

    /// <summary>JSON Lines of <c>{instruction, input, output}</c>.</summary>
    public const string Instruction = "instruction";

    /// <summary>JSON Lines of <c>{text}</c> or plain text, one record a line.</summary>
    public const string Text = "text";

    /// <summary>JSON Lines of <c>{text, label}</c>.</summary>
    public const string Classification = "classification";

    /// <summary>JSON Lines of <c>{question, choices, answer}</c>.</summary>
    public const string MultipleChoice = "multipleChoice";

    /// <summary>JSON Lines of images with labelled boxes.</summary>
    public const string Detection = "detection";

    /// <summary>CSV with a header row; the last column is the label.</summary>
    public const string Csv = "csv";

    /// <summary>Every value, in the order the schema lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Chat, Instruction, Text, Classification, MultipleChoice, Detection, Csv];
}
