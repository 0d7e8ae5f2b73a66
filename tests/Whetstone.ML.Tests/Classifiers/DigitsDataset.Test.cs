using System.Diagnostics;
using Whetstone.ML.Classifiers;

namespace Whetstone.ML.Tests.Classifiers;

public sealed class DigitsDatasetTest
{
    [Fact]
    public async Task The_committed_digits_csv_equals_the_scikit_learn_package_copy()
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(DigitsData.ExportScript);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var exported = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(process.ExitCode == 0, await errors);

        Assert.Equal(exported, File.ReadAllText(DigitsData.Csv));
    }

    [Fact]
    public void The_digits_csv_reads_as_1797_rows_of_64_features_in_ten_classes()
    {
        var table = LabelledTable.ReadCsv(DigitsData.Csv);

        Assert.Equal(1797, table.Features.Count);
        Assert.Equal(64, table.FeatureNames.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), table.Labels);
        Assert.All(table.Features, row => Assert.All(row, v => Assert.InRange(v, 0f, 16f)));
    }
}
