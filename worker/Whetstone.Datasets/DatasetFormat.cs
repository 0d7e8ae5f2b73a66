namespace Whetstone.Datasets;

/// <summary>The shape of each record in a dataset (api.md <c>spec.dataset.format</c>).</summary>
public enum DatasetFormat
{
    /// <summary><c>chat</c>: <c>messages</c>, each with a <c>role</c> (system, user, assistant) and <c>content</c>.</summary>
    Chat,

    /// <summary><c>instruction</c>: <c>instruction</c>, optional <c>input</c>, <c>output</c>.</summary>
    Instruction,

    /// <summary><c>text</c>: <c>text</c>.</summary>
    Text,

    /// <summary><c>classification</c>: <c>text</c> and <c>label</c>.</summary>
    Classification,

    /// <summary><c>multipleChoice</c>: <c>question</c>, <c>choices</c> and <c>answer</c> (0-based index or letter).</summary>
    MultipleChoice,
}
