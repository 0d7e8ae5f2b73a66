using System.Text.Json.Nodes;
using Whetstone.Api.Serialization;

namespace Whetstone.Api.Tests.Serialization;

public sealed class JsonYamlTest
{
    [Fact]
    public void Plain_scalars_resolve_the_way_kubectl_reads_them()
    {
        var node = JsonYaml.Parse("""
            a: 3
            b: 2.0e-4
            c: true
            d: yes
            e: ~
            f: 1.3.0
            g: "3"
            h: 'true'
            i: -7
            """);

        Assert.Equal(3, node["a"]!.GetValue<long>());
        Assert.Equal(0.0002, node["b"]!.GetValue<double>());
        Assert.True(node["c"]!.GetValue<bool>());
        Assert.True(node["d"]!.GetValue<bool>());
        Assert.Null(node["e"]);
        Assert.True(node.AsObject().ContainsKey("e"));
        Assert.Equal("1.3.0", node["f"]!.GetValue<string>());
        Assert.Equal("3", node["g"]!.GetValue<string>());
        Assert.Equal("true", node["h"]!.GetValue<string>());
        Assert.Equal(-7, node["i"]!.GetValue<long>());
    }

    [Fact]
    public void Strings_that_look_like_other_types_are_quoted_and_read_back_as_strings()
    {
        var tree = new JsonObject
        {
            ["t"] = "True",
            ["n"] = "1.0",
            ["z"] = "null",
            ["empty"] = "",
            ["y"] = "yes",
            ["multi"] = "a\nb",
            ["colon"] = "a: b",
            ["number"] = 0.1,
            ["list"] = new JsonArray(1, "2"),
            ["nested"] = new JsonObject(),
        };

        var back = JsonYaml.Parse(JsonYaml.Serialize(tree));

        Assert.Equal(tree.ToJsonString(), back.ToJsonString());
    }

    [Fact]
    public void Writing_is_deterministic()
    {
        var tree = JsonYaml.Parse("b: 1\na: [x, {c: 2}]\n");

        Assert.Equal(JsonYaml.Serialize(tree), JsonYaml.Serialize(tree.DeepClone()));
        Assert.StartsWith("b: 1\n", JsonYaml.Serialize(tree), StringComparison.Ordinal);
    }

    [Fact]
    public void A_syntax_error_names_the_line()
    {
        var error = Assert.Throws<YamlFormatException>(() => JsonYaml.Parse("a: 1\nb: [1, 2\n"));

        Assert.Contains("line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_documents_are_read_in_order_and_empty_ones_skipped()
    {
        var documents = JsonYaml.ParseDocuments("a: 1\n---\n---\nb: 2\n");

        Assert.Equal(2, documents.Count);
        Assert.Equal(2, documents[1]["b"]!.GetValue<long>());
    }
}
