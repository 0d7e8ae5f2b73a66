namespace Whetstone.Datasets.Records;

/// <summary>Who speaks a chat message.</summary>
public enum ChatRole
{
    /// <summary><c>system</c>: instructions to the model.</summary>
    System,

    /// <summary><c>user</c>: the customer or person asking.</summary>
    User,

    /// <summary><c>assistant</c>: the answer the model should learn.</summary>
    Assistant,
}
