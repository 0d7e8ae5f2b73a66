using System.Globalization;
using System.Text.Json;
using Whetstone.Datasets;

namespace Whetstone.Evaluation.Detection;

/// <summary>
/// Reads the <c>detection</c> dataset format, JSONL with one image a line:
/// <c>{"image": "000123.jpg", "width": 640, "height": 480, "boxes": [{"category": "cat", "bbox": [x, y, w, h], "iscrowd": false}]}</c>.
/// <c>image</c> is a string or an integer id; <c>bbox</c> is COCO's [x, y, width, height] in pixels and may reach
/// at most one pixel past the image's edges; <c>iscrowd</c> (optional, true/false or 1/0) marks a crowd region.
/// Predictions are the same records with a <c>score</c> on every box. A bad record fails with the file, the line and
/// the field.
/// </summary>
public static class DetectionFile
{
    /// <summary>Reads ground truth (<paramref name="predictions"/> false) or predictions (every box needs a score).</summary>
    /// <exception cref="DatasetFormatException">A record is not valid, or an image is listed twice.</exception>
    public static IReadOnlyList<DetectionImage> Read(string path, bool predictions = false, int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = Path.GetFileName(path);
        var images = new List<DetectionImage>();
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (line, lineNumber) in JsonlRecord.Lines(path))
        {
            if (images.Count == limit)
            {
                break;
            }

            var image = Parse(line, predictions, name, lineNumber);
            if (!firstLine.TryAdd(image.Image, lineNumber))
            {
                throw new DatasetFormatException(name, lineNumber, string.Create(CultureInfo.InvariantCulture, $"field 'image': '{image.Image}' is already the image of line {firstLine[image.Image]}"));
            }

            images.Add(image);
        }

        return images;
    }

    /// <summary>Parses one JSONL record; <paramref name="file"/> and <paramref name="lineNumber"/> name it in errors.</summary>
    /// <exception cref="DatasetFormatException">The record is not valid.</exception>
    public static DetectionImage Parse(string line, bool predictions, string file, int lineNumber)
    {
        ArgumentNullException.ThrowIfNull(line);
        DatasetFormatException Error(string message) => new(file, lineNumber, message);
        var root = JsonlRecord.ParseObject(line, file, lineNumber);

        var image = root.TryGetProperty("image", out var i) ? i.ValueKind switch
        {
            JsonValueKind.String when !string.IsNullOrWhiteSpace(i.GetString()) => i.GetString()!,
            JsonValueKind.Number when i.TryGetInt64(out var id) => id.ToString(CultureInfo.InvariantCulture),
            _ => null,
        } : null;
        if (image is null)
        {
            throw Error("field 'image' must be a non-empty string or an integer id");
        }

        int Size(string field) => root.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) && n > 0
            ? n
            : throw Error($"field '{field}' must be a positive integer (pixels), got {(root.TryGetProperty(field, out var raw) ? raw.GetRawText() : "nothing")}");
        var width = Size("width");
        var height = Size("height");
        if (!root.TryGetProperty("boxes", out var boxes) || boxes.ValueKind != JsonValueKind.Array)
        {
            throw Error("field 'boxes' must be an array (empty for an image without objects)");
        }

        var parsed = new List<DetectionBox>();
        var index = 0;
        foreach (var box in boxes.EnumerateArray())
        {
            parsed.Add(ParseBox(box, string.Create(CultureInfo.InvariantCulture, $"boxes[{index}]"), width, height, predictions, Error));
            index++;
        }

        return new DetectionImage(image, width, height, parsed);
    }

    private static DetectionBox ParseBox(JsonElement box, string field, int width, int height, bool predictions, Func<string, DatasetFormatException> error)
    {
        if (box.ValueKind != JsonValueKind.Object)
        {
            throw error($"field '{field}' must be an object with 'category' and 'bbox'");
        }

        var category = box.TryGetProperty("category", out var c) && c.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(c.GetString())
            ? c.GetString()!
            : throw error($"field '{field}.category' must be a non-empty string (the class name)");
        if (!box.TryGetProperty("bbox", out var b) || b.ValueKind != JsonValueKind.Array || b.GetArrayLength() != 4
            || b.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number || !double.IsFinite(v.GetDouble())))
        {
            throw error($"field '{field}.bbox' must be [x, y, width, height]: four numbers in pixels");
        }

        var v = b.EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var (x, y, w, h) = (v[0], v[1], v[2], v[3]);
        if (w < 0 || h < 0)
        {
            throw error(string.Create(CultureInfo.InvariantCulture, $"field '{field}.bbox': negative size {w}×{h}"));
        }

        if (x < -1 || y < -1 || x + w > width + 1 || y + h > height + 1)
        {
            throw error(string.Create(CultureInfo.InvariantCulture, $"field '{field}.bbox': [{x}, {y}, {w}, {h}] lies outside the {width}×{height} image by more than a pixel"));
        }

        var crowd = false;
        if (box.TryGetProperty("iscrowd", out var ic))
        {
            crowd = ic.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number when ic.TryGetInt32(out var n) && n is 0 or 1 => n == 1,
                _ => throw error($"field '{field}.iscrowd' must be true, false, 1 or 0"),
            };
        }

        double score = 0;
        if (predictions)
        {
            score = box.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Number && double.IsFinite(s.GetDouble())
                ? s.GetDouble()
                : throw error($"field '{field}.score' must be a number (predictions carry the detector's confidence)");
        }

        return new DetectionBox(category, x, y, w, h, crowd, score);
    }
}
