namespace Whetstone.Api;

/// <summary>Labels Whetstone puts on the objects it creates (worker pods, serving Deployments, Services).</summary>
public static class WhetstoneLabels
{
    /// <summary>Recommended label: the application name (<c>whetstone</c>).</summary>
    public const string Name = "app.kubernetes.io/name";

    /// <summary>Recommended label: the unique instance (the owning object's name).</summary>
    public const string Instance = "app.kubernetes.io/instance";

    /// <summary>Recommended label: the role of the object (<c>finetune</c>, <c>compress</c>, <c>evaluate</c>, <c>serve</c>).</summary>
    public const string Component = "app.kubernetes.io/component";

    /// <summary>Recommended label: the tool that manages the object (<c>whetstone-operator</c>).</summary>
    public const string ManagedBy = "app.kubernetes.io/managed-by";

    /// <summary>Recommended label: the higher-level application this is part of (<c>whetstone</c>).</summary>
    public const string PartOf = "app.kubernetes.io/part-of";

    /// <summary>Recommended label: the version (for serving pods, the model version of the track).</summary>
    public const string Version = "app.kubernetes.io/version";

    /// <summary>The name of the Whetstone job (any job kind) a worker pod belongs to.</summary>
    public const string Job = "whetstone.dev/job";

    /// <summary>The kind of the Whetstone object that owns the labelled object.</summary>
    public const string Kind = "whetstone.dev/kind";

    /// <summary>The ModelRollout a serving pod belongs to.</summary>
    public const string Rollout = "whetstone.dev/rollout";

    /// <summary>The rollout track of a serving pod: <c>stable</c> or <c>canary</c>.</summary>
    public const string Track = "whetstone.dev/track";

    /// <summary>Kueue's queue label; set on worker pods when the spec names a <c>queueName</c>.</summary>
    public const string KueueQueueName = "kueue.x-k8s.io/queue-name";

    /// <summary>The value of <see cref="Name"/> and <see cref="PartOf"/>.</summary>
    public const string ApplicationName = "whetstone";

    /// <summary>The value of <see cref="ManagedBy"/>.</summary>
    public const string ManagerName = "whetstone-operator";

    /// <summary>Longest label value Kubernetes accepts.</summary>
    public const int MaxValueLength = 63;

    /// <summary>
    /// The label value that stands for an object's name: the name itself when it fits a label value, else its first 52
    /// characters, a dash and 10 hex digits of the name's SHA-256. Object names may have 253 characters and label values
    /// only 63, so a long job name must still give its worker pods a valid label that selects only them.
    /// </summary>
    public static string ValueFor(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length <= MaxValueLength)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..10];
        return $"{name[..(MaxValueLength - 11)]}-{hash}";
    }
}
