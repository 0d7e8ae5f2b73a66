using Whetstone.Datasets;
using Whetstone.Evaluation.Detection;

namespace Whetstone.Evaluation.Tests.Detection;

public sealed class DetectionFileTest : IDisposable
{
    private const string Good = """{"image": "a.jpg", "width": 100, "height": 50, "boxes": [{"category": "cat", "bbox": [10, 5, 20, 30]}, {"category": "people", "bbox": [-1, 0, 101, 51], "iscrowd": true}]}""";

    private readonly string _directory = Directory.CreateTempSubdirectory("whetstone-detection-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Reads_images_boxes_and_crowd_flags()
    {
        var images = DetectionFile.Read(Write(Good, "", """{"image": 7, "width": 10, "height": 10, "boxes": []}"""));

        Assert.Equal(2, images.Count);
        Assert.Equal(("a.jpg", 100, 50), (images[0].Image, images[0].Width, images[0].Height));
        Assert.Equal(new DetectionBox("cat", 10, 5, 20, 30), images[0].Boxes[0]);
        Assert.True(images[0].Boxes[1].IsCrowd);
        Assert.Equal("7", images[1].Image);
        Assert.Empty(images[1].Boxes);
    }

    [Theory]
    [InlineData("""{"image": "a", "width": -5, "height": 50, "boxes": []}""", "field 'width' must be a positive integer (pixels), got -5")]
    [InlineData("""{"image": "a", "width": 100, "height": 50, "boxes": [{"category": "cat", "bbox": [10, 5, -20, 30]}]}""", "field 'boxes[0].bbox': negative size -20×30")]
    [InlineData("""{"image": "a", "width": 100, "height": 50, "boxes": [{"category": "cat", "bbox": [0, 0, 1, 1]}, {"category": "cat", "bbox": [90, 5, 12, 30]}]}""", "field 'boxes[1].bbox': [90, 5, 12, 30] lies outside the 100×50 image by more than a pixel")]
    [InlineData("""{"image": "a", "width": 100, "height": 50, "boxes": [{"bbox": [10, 5, 20, 30]}]}""", "field 'boxes[0].category' must be a non-empty string")]
    [InlineData("""{"image": "a", "width": 100, "height": 50, "boxes": [{"category": "cat", "bbox": [10, 5, 20]}]}""", "field 'boxes[0].bbox' must be [x, y, width, height]")]
    [InlineData("""{"width": 100, "height": 50, "boxes": []}""", "field 'image' must be")]
    [InlineData("""{"image": "a", "width": 100, "height": 50}""", "field 'boxes' must be an array")]
    [InlineData("""{"image": "a", "width": 100, "height": 50, "boxes": [{"category": "cat", "bbox": [1, 1, 2, 2], "iscrowd": "yes"}]}""", "field 'boxes[0].iscrowd' must be true, false, 1 or 0")]
    [InlineData("not json", "not valid JSON")]
    public void Bad_record_names_the_line_and_field(string record, string expected)
    {
        var error = Assert.Throws<DatasetFormatException>(() => DetectionFile.Read(Write(Good, "", record)));

        Assert.Equal(3, error.LineNumber);
        Assert.StartsWith("truth.jsonl:3: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void One_pixel_past_the_edge_is_accepted_and_more_is_refused()
    {
        // Width 100: x + w = 101 is within a pixel; 101.5 is not.
        DetectionFile.Read(Write("""{"image": "a", "width": 100, "height": 50, "boxes": [{"category": "cat", "bbox": [50, -1, 51, 51]}]}"""));
        var error = Assert.Throws<DatasetFormatException>(() => DetectionFile.Read(Write("""{"image": "a", "width": 100, "height": 50, "boxes": [{"category": "cat", "bbox": [50, 0, 51.5, 10]}]}""")));
        Assert.Contains("lies outside the 100×50 image", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Predictions_need_a_score_on_every_box()
    {
        var path = Write("""{"image": "a", "width": 100, "height": 50, "boxes": [{"category": "cat", "bbox": [10, 5, 20, 30], "score": 0.75}, {"category": "cat", "bbox": [1, 1, 2, 2]}]}""");

        var error = Assert.Throws<DatasetFormatException>(() => DetectionFile.Read(path, predictions: true));
        Assert.Equal("truth.jsonl:1: field 'boxes[1].score' must be a number (predictions carry the detector's confidence)", error.Message);
    }

    [Fact]
    public void Image_listed_twice_is_refused_naming_both_lines()
    {
        var error = Assert.Throws<DatasetFormatException>(() => DetectionFile.Read(Write(Good, Good)));

        Assert.Equal("truth.jsonl:2: field 'image': 'a.jpg' is already the image of line 1", error.Message);
    }

    private string Write(params string[] lines)
    {
        var path = Path.Combine(_directory, "truth.jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }
}
