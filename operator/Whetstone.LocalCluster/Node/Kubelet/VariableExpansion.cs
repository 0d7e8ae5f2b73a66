using System.Text;

namespace Whetstone.LocalCluster.Node.Kubelet;

/// <summary>Kubernetes' <c>$(VAR)</c> expansion for env values, command and args.</summary>
public static class VariableExpansion
{
    /// <summary>
    /// Replaces <c>$(NAME)</c> with the variable's value when it is defined and leaves it as written when not;
    /// <c>$$</c> escapes a dollar sign, exactly as the kubelet does.
    /// </summary>
    public static string Expand(string input, IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(variables);
        if (!input.Contains('$', StringComparison.Ordinal))
        {
            return input;
        }

        var output = new StringBuilder(input.Length);
        var i = 0;
        while (i < input.Length)
        {
            if (input[i] != '$' || i + 1 >= input.Length)
            {
                output.Append(input[i++]);
                continue;
            }

            if (input[i + 1] == '$')
            {
                output.Append('$');
                i += 2;
                continue;
            }

            var close = input[i + 1] == '(' ? input.IndexOf(')', i + 2) : -1;
            if (close < 0)
            {
                output.Append(input[i++]);
                continue;
            }

            var name = input[(i + 2)..close];
            output.Append(variables.TryGetValue(name, out var value) ? value : input[i..(close + 1)]);
            i = close + 1;
        }

        return output.ToString();
    }
}
