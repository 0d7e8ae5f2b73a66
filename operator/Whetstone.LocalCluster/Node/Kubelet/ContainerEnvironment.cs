using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using k8s.Models;

namespace Whetstone.LocalCluster.Node.Kubelet;

/// <summary>Builds a container's environment from env, envFrom and valueFrom the way the kubelet does.</summary>
public static partial class ContainerEnvironment
{
    /// <summary>Names of the ConfigMaps and Secrets the container's environment refers to.</summary>
    public static (IReadOnlySet<string> ConfigMaps, IReadOnlySet<string> Secrets) CalculateReferences(V1Container container)
    {
        ArgumentNullException.ThrowIfNull(container);
        var configMaps = new HashSet<string>(StringComparer.Ordinal);
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            AddIfNamed(configMaps, source.ConfigMapRef?.Name);
            AddIfNamed(secrets, source.SecretRef?.Name);
        }

        foreach (var variable in container.Env ?? [])
        {
            AddIfNamed(configMaps, variable.ValueFrom?.ConfigMapKeyRef?.Name);
            AddIfNamed(secrets, variable.ValueFrom?.SecretKeyRef?.Name);
        }

        return (configMaps, secrets);
    }

    /// <summary>
    /// Resolves envFrom first, then env (later entries win), expanding <c>$(VAR)</c> in values against
    /// <paramref name="baseVariables"/> and the variables defined before them.
    /// </summary>
    public static EnvironmentResolution Resolve(
        V1Pod pod, V1Container container, EnvironmentSources sources, IReadOnlyDictionary<string, string> baseVariables)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(baseVariables);
        var ns = pod.Metadata?.NamespaceProperty ?? "default";
        var declared = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            var error = AddEnvFrom(source, ns, sources, declared);
            if (error is not null)
            {
                return EnvironmentResolution.Failed(error);
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            var scope = new Dictionary<string, string>(baseVariables, StringComparer.Ordinal);
            foreach (var (name, value) in declared)
            {
                scope[name] = value;
            }

            var (resolved, error) = ResolveValue(variable, pod, container, ns, sources, scope);
            if (error is not null)
            {
                return EnvironmentResolution.Failed(error);
            }

            if (resolved is not null)
            {
                declared[variable.Name] = resolved;
            }
        }

        return EnvironmentResolution.Resolved(declared);
    }

    private static string? AddEnvFrom(V1EnvFromSource source, string ns, EnvironmentSources sources, Dictionary<string, string> declared)
    {
        IEnumerable<KeyValuePair<string, string>> entries;
        if (source.ConfigMapRef is { } configMapRef)
        {
            if (!sources.ConfigMaps.TryGetValue(configMapRef.Name, out var configMap))
            {
                return configMapRef.Optional == true ? null : $"configmap \"{configMapRef.Name}\" not found";
            }

            entries = configMap.Data ?? new Dictionary<string, string>();
        }
        else if (source.SecretRef is { } secretRef)
        {
            if (!sources.Secrets.TryGetValue(secretRef.Name, out var secret))
            {
                return secretRef.Optional == true ? null : $"secret \"{secretRef.Name}\" not found";
            }

            entries = SecretValues(secret);
        }
        else
        {
            return null;
        }

        foreach (var (key, value) in entries.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var name = (source.Prefix ?? "") + key;
            // The kubelet skips keys that are not valid variable names (and records an event); so do we.
            if (ValidName().IsMatch(name))
            {
                declared[name] = value;
            }
        }

        return null;
    }

    private static (string? Value, string? Error) ResolveValue(
        V1EnvVar variable, V1Pod pod, V1Container container, string ns, EnvironmentSources sources, Dictionary<string, string> scope)
    {
        if (variable.ValueFrom is null)
        {
            return (VariableExpansion.Expand(variable.Value ?? "", scope), null);
        }

        if (variable.ValueFrom.FieldRef is { } fieldRef)
        {
            return ResolveField(fieldRef.FieldPath, pod, sources);
        }

        if (variable.ValueFrom.ResourceFieldRef is { } resourceRef)
        {
            return ResolveResource(resourceRef, container, sources.NodeAllocatable);
        }

        if (variable.ValueFrom.ConfigMapKeyRef is { } configMapKey)
        {
            if (!sources.ConfigMaps.TryGetValue(configMapKey.Name, out var configMap))
            {
                return (null, configMapKey.Optional == true ? null : $"configmap \"{configMapKey.Name}\" not found");
            }

            if (configMap.Data?.TryGetValue(configMapKey.Key, out var value) == true)
            {
                return (value, null);
            }

            return (null, configMapKey.Optional == true ? null : $"couldn't find key {configMapKey.Key} in ConfigMap {ns}/{configMapKey.Name}");
        }

        if (variable.ValueFrom.SecretKeyRef is { } secretKey)
        {
            if (!sources.Secrets.TryGetValue(secretKey.Name, out var secret))
            {
                return (null, secretKey.Optional == true ? null : $"secret \"{secretKey.Name}\" not found");
            }

            var values = SecretValues(secret);
            if (values.TryGetValue(secretKey.Key, out var value))
            {
                return (value, null);
            }

            return (null, secretKey.Optional == true ? null : $"couldn't find key {secretKey.Key} in Secret {ns}/{secretKey.Name}");
        }

        return (null, null);
    }

    private static (string? Value, string? Error) ResolveField(string fieldPath, V1Pod pod, EnvironmentSources sources)
    {
        var metadata = pod.Metadata ?? new V1ObjectMeta();
        var labelKey = MapKey(fieldPath, "metadata.labels");
        if (labelKey is not null)
        {
            return (metadata.Labels?.TryGetValue(labelKey, out var label) == true ? label : "", null);
        }

        var annotationKey = MapKey(fieldPath, "metadata.annotations");
        if (annotationKey is not null)
        {
            return (metadata.Annotations?.TryGetValue(annotationKey, out var annotation) == true ? annotation : "", null);
        }

        return fieldPath switch
        {
            "metadata.name" => (metadata.Name ?? "", null),
            "metadata.namespace" => (metadata.NamespaceProperty ?? "default", null),
            "metadata.uid" => (metadata.Uid ?? "", null),
            "metadata.labels" => (FormatMap(metadata.Labels), null),
            "metadata.annotations" => (FormatMap(metadata.Annotations), null),
            "spec.nodeName" => (pod.Spec?.NodeName ?? "", null),
            "spec.serviceAccountName" => (pod.Spec?.ServiceAccountName ?? "default", null),
            "status.hostIP" or "status.hostIPs" => (sources.HostIp, null),
            "status.podIP" or "status.podIPs" => (sources.PodIp, null),
            _ => (null, $"unsupported fieldRef fieldPath \"{fieldPath}\""),
        };
    }

    private static (string? Value, string? Error) ResolveResource(
        V1ResourceFieldSelector selector, V1Container container, IReadOnlyDictionary<string, ResourceQuantity> allocatable)
    {
        var parts = selector.Resource.Split('.', 2);
        if (parts.Length != 2 || parts[0] is not ("limits" or "requests"))
        {
            return (null, $"unsupported resourceFieldRef resource \"{selector.Resource}\"");
        }

        var declared = parts[0] == "limits" ? container.Resources?.Limits : container.Resources?.Requests;
        ResourceQuantity? quantity = null;
        if (declared?.TryGetValue(parts[1], out var value) == true)
        {
            quantity = value;
        }
        else if (parts[0] == "limits" && allocatable.TryGetValue(parts[1], out var nodeValue))
        {
            quantity = nodeValue;
        }

        var amount = quantity?.ToDecimal() ?? 0m;
        var divisor = selector.Divisor?.ToDecimal() ?? 1m;
        if (divisor == 0m)
        {
            divisor = 1m;
        }

        var result = Math.Ceiling(amount / divisor);
        return (result.ToString(CultureInfo.InvariantCulture), null);
    }

    private static Dictionary<string, string> SecretValues(V1Secret secret)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, bytes) in secret.Data ?? new Dictionary<string, byte[]>())
        {
            values[key] = Encoding.UTF8.GetString(bytes);
        }

        foreach (var (key, text) in secret.StringData ?? new Dictionary<string, string>())
        {
            values[key] = text;
        }

        return values;
    }

    private static string? MapKey(string fieldPath, string prefix)
    {
        var start = prefix + "['";
        return fieldPath.StartsWith(start, StringComparison.Ordinal) && fieldPath.EndsWith("']", StringComparison.Ordinal)
            ? fieldPath[start.Length..^2]
            : null;
    }

    private static string FormatMap(IDictionary<string, string>? map) =>
        string.Join('\n', (map ?? new Dictionary<string, string>())
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => $"{pair.Key}=\"{pair.Value}\""));

    private static void AddIfNamed(HashSet<string> names, string? name)
    {
        if (!string.IsNullOrEmpty(name))
        {
            names.Add(name);
        }
    }

    [GeneratedRegex("^[-._a-zA-Z][-._a-zA-Z0-9]*$")]
    private static partial Regex ValidName();
}
