using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Whetstone.Chart.Tests.Rendering;
using Whetstone.Chart.Tests.Tools;

namespace Whetstone.Chart.Tests.ArgoCd;

/// <summary>
/// Runs an Argo CD Lua script under Debian's lua5.1 (the Lua dialect Argo CD embeds) through argocd/test/runner.lua,
/// with a YAML test input converted to a Lua table as the global <c>obj</c>.
/// </summary>
internal static class LuaScripts
{
    public static string Root => RepositoryRoot.Combine("argocd", "resource_customizations", "whetstone.dev");

    public static async Task<JsonNode> RunAsync(string mode, string script, string inputYamlPath)
    {
        var input = Path.Combine(Path.GetTempPath(), $"whetstone-lua-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(input, "return " + ToLua(YamlJson.Parse(await File.ReadAllTextAsync(inputYamlPath))));
        try
        {
            var result = await ToolProcess.RunAsync(
                "lua5.1", [RepositoryRoot.Combine("argocd", "test", "runner.lua"), mode, script, input], TimeSpan.FromSeconds(20));
            Assert.True(result.ExitCode == 0, $"lua5.1 {mode} {script} on {inputYamlPath} failed: {result.All}");
            return JsonNode.Parse(result.Output)!;
        }
        finally
        {
            File.Delete(input);
        }
    }

    /// <summary>A JSON value as a Lua table constructor (null fields are left out, as Argo CD's conversion does).</summary>
    public static string ToLua(JsonNode? node) => node switch
    {
        null => "nil",
        JsonObject o => "{" + string.Join(", ", o.Where(p => p.Value is not null).Select(p => $"[{Quote(p.Key)}] = {ToLua(p.Value)}")) + "}",
        JsonArray a => "{" + string.Join(", ", a.Select(ToLua)) + "}",
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v when v.TryGetValue<long>(out var n) => n.ToString(CultureInfo.InvariantCulture),
        _ => Quote(node.GetValue<string>()),
    };

    private static string Quote(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            builder.Append(c is '"' or '\\' ? "\\" + c : c < ' ' ? $"\\{(int)c:D3}" : c.ToString());
        }

        return builder.Append('"').ToString();
    }
}
