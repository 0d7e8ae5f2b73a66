using Whetstone.Datasets.Preprocessing;

namespace Whetstone.Datasets.Tests;

public sealed class ApiNamesTest
{
    [Fact]
    public void Api_names_round_trip()
    {
        Assert.All(Enum.GetValues<DatasetFormat>(), format => Assert.Equal(format, DatasetFormatNames.Parse(format.ToName())));
        Assert.All(Enum.GetValues<PiiKind>(), kind => Assert.Equal(kind, PiiKindNames.Parse(kind.ToName())));
        Assert.All(Enum.GetValues<DeduplicationMode>(), mode => Assert.Equal(mode, DeduplicationModeNames.Parse(mode.ToName())));
        Assert.Equal("multipleChoice", DatasetFormat.MultipleChoice.ToName());
        Assert.Equal("idNumber", PiiKind.IdNumber.ToName());
    }

    [Fact]
    public void Unknown_names_are_errors_naming_the_field_and_the_choices()
    {
        Assert.Equal(
            "spec.dataset.preprocessing.redactPII[1]: unknown kind \"ssn\" (expected email, phone, idNumber, bankCard)",
            Assert.Throws<DatasetOptionsException>(() => PiiKindNames.Parse("ssn", "spec.dataset.preprocessing.redactPII[1]")).Message);
        Assert.Equal(
            "spec.dataset.format: unknown format \"detection\" (expected chat, instruction, text, classification, multipleChoice)",
            Assert.Throws<DatasetOptionsException>(() => DatasetFormatNames.Parse("detection")).Message);
        Assert.Equal(
            "spec.dataset.preprocessing.deduplicate: unknown mode \"fuzzy\" (expected none, exact, near)",
            Assert.Throws<DatasetOptionsException>(() => DeduplicationModeNames.Parse("fuzzy")).Message);
    }
}
