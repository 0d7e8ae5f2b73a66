using System.Diagnostics;
using System.Globalization;
using Whetstone.ML.Monitoring;
using static TorchSharp.torch;

namespace Whetstone.ML.Classifiers;

/// <summary>
/// Trains an <see cref="MlpClassifier"/> on a <see cref="LabelledTable"/>: seeded stratified split, input
/// normalisation from the training rows' mean and standard deviation, cross-entropy with AdamW over shuffled
/// mini-batches, validation loss after every epoch (early stopping through <see cref="LossMonitor"/>), and the
/// best epoch's weights kept. Runs on the CPU.
/// </summary>
public static class ClassifierTrainer
{
    /// <summary>Trains and evaluates; the result owns the model.</summary>
    public static ClassifierTrainingResult Train(LabelledTable table, ClassifierTrainingOptions options,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        var split = DatasetSplit.Stratified(table.Classes, options.ValidationFraction, options.TestFraction, options.Seed);
        var train = table.Subset(split.Train);
        var validation = table.Subset(split.Validation);
        var test = table.Subset(split.Test);
        var (mean, scale) = Normalisation(train.Features, table.FeatureNames.Count);
        var config = new ClassifierConfig
        {
            InputSize = table.FeatureNames.Count,
            HiddenSizes = options.HiddenSizes.ToList(),
            Labels = table.Labels.ToList(),
            InputMean = mean,
            InputScale = scale,
        };
        manual_seed(options.Seed);
        var model = new MlpClassifier(config);
        try
        {
            return Fit(model, split, train, validation, test, options, clock, progress, cancellationToken);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Per-feature mean and standard deviation (population); a constant feature gets scale 1.</summary>
    public static (float[] Mean, float[] Scale) Normalisation(IReadOnlyList<float[]> rows, int width)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var mean = new double[width];
        var square = new double[width];
        foreach (var row in rows)
        {
            for (var i = 0; i < width; i++)
            {
                mean[i] += row[i];
                square[i] += (double)row[i] * row[i];
            }
        }
        var means = new float[width];
        var scales = new float[width];
        for (var i = 0; i < width; i++)
        {
            var m = mean[i] / rows.Count;
            var variance = Math.Max(0, square[i] / rows.Count - m * m);
            means[i] = (float)m;
            scales[i] = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
        }
        return (means, scales);
    }

    private static ClassifierTrainingResult Fit(MlpClassifier model, DatasetSplit split, LabelledTable train, LabelledTable validation,
        LabelledTable test, ClassifierTrainingOptions options, Stopwatch clock, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var classCount = train.Labels.Count;
        var random = new Random(options.Seed);
        var monitor = new LossMonitor(options.EarlyStopping, divergence: null);
        using var optimizer = optim.AdamW(model.parameters(), lr: options.LearningRate, weight_decay: options.WeightDecay);
        using var inputs = tensor(train.Features.SelectMany(x => x).ToArray()).view(train.Features.Count, train.FeatureNames.Count);
        using var targets = tensor(train.Classes.Select(c => (long)c).ToArray());
        var losses = new List<double>();
        Dictionary<string, Tensor>? best = null;
        var bestEpoch = 0;
        var bestLoss = double.PositiveInfinity;
        var stopReason = $"trained all {options.Epochs} epochs";
        var order = Enumerable.Range(0, train.Features.Count).ToArray();
        try
        {
            for (var epoch = 1; epoch <= options.Epochs; epoch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                random.Shuffle(order);
                model.train();
                foreach (var batch in order.Chunk(options.BatchSize))
                {
                    using var scope = NewDisposeScope();
                    using var index = tensor(batch.Select(i => (long)i).ToArray());
                    optimizer.zero_grad();
                    var loss = nn.functional.cross_entropy(model.forward(inputs.index_select(0, index)), targets.index_select(0, index));
                    loss.backward();
                    optimizer.step();
                }
                model.eval();
                var validationLoss = ClassifierEvaluation.FromLogits(model.Score(validation.Features), validation.Classes, classCount).Loss;
                losses.Add(validationLoss);
                progress?.Report(string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}: validation loss {validationLoss:F4}"));
                if (validationLoss < bestLoss)
                {
                    bestLoss = validationLoss;
                    bestEpoch = epoch;
                    Dispose(best);
                    best = model.CopyWeights();
                }
                var verdict = monitor.ObserveValidationLoss(epoch, validationLoss);
                if (verdict.ShouldStop)
                {
                    stopReason = verdict.Message;
                    break;
                }
            }
            if (best is not null)
            {
                model.RestoreWeights(best);
            }
        }
        finally
        {
            Dispose(best);
        }
        model.eval();
        return new ClassifierTrainingResult(
            model,
            split,
            losses.Count,
            bestEpoch,
            losses,
            stopReason,
            ClassifierEvaluation.FromLogits(model.Score(validation.Features), validation.Classes, classCount),
            ClassifierEvaluation.FromLogits(model.Score(test.Features), test.Classes, classCount),
            clock.Elapsed);
    }

    private static void Dispose(Dictionary<string, Tensor>? weights)
    {
        foreach (var tensor in weights?.Values ?? Enumerable.Empty<Tensor>())
        {
            tensor.Dispose();
        }
    }
}
