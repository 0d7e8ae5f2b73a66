using System.Net;

namespace Whetstone.LocalCluster.Networking;

/// <summary>
/// A /16 inside 127.0.0.0/8 handed out one address at a time. Linux routes the whole of 127.0.0.0/8 to the
/// loopback interface, so any of these addresses can be bound without privileges: each Pod and each Service
/// gets its own, and two servers on the same port no longer collide.
/// </summary>
/// <param name="SecondOctet">The range is 127.<paramref name="SecondOctet"/>.0.0/16.</param>
public sealed record LoopbackRange(int SecondOctet)
{
    /// <summary>Where Pods get their addresses (<c>status.podIP</c>).</summary>
    public static LoopbackRange Pods { get; } = new(10);

    /// <summary>Where Services get their cluster IPs.</summary>
    public static LoopbackRange Services { get; } = new(11);

    /// <summary>Usable addresses: .0.1 to .255.254 (the network and broadcast addresses of the /16 are skipped).</summary>
    public int Capacity => 256 * 256 - 2;

    /// <summary>Whether <paramref name="address"/> lies in this range.</summary>
    public bool Contains(string? address) =>
        address is not null && IPAddress.TryParse(address, out var parsed) && parsed.GetAddressBytes() is [127, var second, _, _] && second == SecondOctet;

    /// <summary>
    /// The first free address at or after <paramref name="start"/> (wrapping around), so a just-released address is
    /// not handed out again at once; null when every address is used.
    /// </summary>
    public string? CalculateFree(IReadOnlySet<string> used, int start = 0)
    {
        ArgumentNullException.ThrowIfNull(used);
        for (var step = 0; step < Capacity; step++)
        {
            var candidate = AddressAt((start + step) % Capacity);
            if (!used.Contains(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The index of <paramref name="address"/> in this range (the inverse of the allocation order).</summary>
    public int IndexOf(string address)
    {
        var bytes = IPAddress.Parse(address).GetAddressBytes();
        return bytes[2] * 256 + bytes[3] - 1;
    }

    private string AddressAt(int index)
    {
        var n = index + 1;
        return $"127.{SecondOctet}.{n / 256}.{n % 256}";
    }
}
