using k8s.Models;

namespace Whetstone.Operator.Workers;

/// <summary>A job's worker ServiceAccount, its Role and the RoleBinding between them (see <see cref="WorkerAccess"/>).</summary>
public sealed record WorkerAccessObjects(V1ServiceAccount ServiceAccount, V1Role Role, V1RoleBinding RoleBinding);
