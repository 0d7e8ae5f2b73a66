using Whetstone.ML.Corpus;
using Whetstone.ML.Tokenization;
using Whetstone.ML.Training;

namespace Whetstone.Compression.Tests.Distillation;

/// <summary>
/// Training data the tiny teacher knows: fresh documents of the generated English corpus it was pre-trained on (a
/// different seed from its pre-training, so none is a training document), every token a target.
/// </summary>
internal static class CorpusExamples
{
    public static StepTrainingData Create(int train, int validation, int seed = 5)
    {
        var tokenizer = ChatTokenizer.Load(RepositoryFiles.TinyModel);
        var documents = new EnglishCorpusGenerator(seed).Generate(train + validation)
            .Select(text => TrainingExample.AllTokens([tokenizer.BosId, .. tokenizer.Encode(text), tokenizer.EosId]))
            .ToList();
        return new StepTrainingData(documents[..train], documents[train..], $"corpus documents (seed {seed})");
    }
}
