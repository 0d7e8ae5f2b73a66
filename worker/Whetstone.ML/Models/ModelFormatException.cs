namespace Whetstone.ML.Models;

/// <summary>A model file (config, weights or tokenizer) that cannot be used; the message names the file and the field or line.</summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception with a message naming the file and what is wrong.</summary>
    public ModelFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that revealed the problem.</summary>
    public ModelFormatException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a generic message.</summary>
    public ModelFormatException() : base("the model files cannot be used") { }
}
