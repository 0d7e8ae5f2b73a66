using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Whetstone.LocalCluster.Security;

/// <summary>
/// The cluster's own certificate authority and the server certificate it signs, kept in the data
/// directory (ca.crt, ca.key, server.crt, server.key) so a restarted server keeps the identity that
/// clients' kubeconfig trusts. ECDSA P-256 keys: fast to generate on a busy machine.
/// </summary>
internal sealed class ClusterCertificates
{
    private ClusterCertificates(string caPem, X509Certificate2 serverCertificate)
    {
        CaPem = caPem;
        ServerCertificate = serverCertificate;
    }

    /// <summary>The CA certificate in PEM, what kubeconfig's certificate-authority-data carries.</summary>
    public string CaPem { get; }

    /// <summary>The server certificate with its private key, for Kestrel.</summary>
    public X509Certificate2 ServerCertificate { get; }

    public static ClusterCertificates LoadOrCreate(string directory, string bindAddress)
    {
        var caCertPath = Path.Combine(directory, "ca.crt");
        var caKeyPath = Path.Combine(directory, "ca.key");
        var serverCertPath = Path.Combine(directory, "server.crt");
        var serverKeyPath = Path.Combine(directory, "server.key");
        if (!File.Exists(caCertPath) || !File.Exists(caKeyPath))
        {
            CreateAuthority(caCertPath, caKeyPath);
        }
        using var ca = X509Certificate2.CreateFromPemFile(caCertPath, caKeyPath);
        if (!File.Exists(serverCertPath) || !File.Exists(serverKeyPath) || !Covers(serverCertPath, bindAddress))
        {
            CreateServerCertificate(ca, serverCertPath, serverKeyPath, bindAddress);
        }
        var server = X509Certificate2.CreateFromPemFile(serverCertPath, serverKeyPath);
        // Kestrel on Linux accepts ephemeral keys, but a PKCS#12 round trip keeps the key usable everywhere.
        var exportable = X509CertificateLoader.LoadPkcs12(server.Export(X509ContentType.Pkcs12), null);
        server.Dispose();
        return new ClusterCertificates(File.ReadAllText(caCertPath), exportable);
    }

    private static void CreateAuthority(string certPath, string keyPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=whetstone-local-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        WriteSecret(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
    }

    private static void CreateServerCertificate(X509Certificate2 ca, string certPath, string keyPath, string bindAddress)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=whetstone-apiserver", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddDnsName("kubernetes.default.svc");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        if (IPAddress.TryParse(bindAddress, out var bound) && !IPAddress.IsLoopback(bound) && !bound.Equals(IPAddress.Any) && !bound.Equals(IPAddress.IPv6Any))
        {
            names.AddIpAddress(bound);
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var certificate = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5), serial);
        WriteSecret(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
    }

    private static bool Covers(string serverCertPath, string bindAddress)
    {
        if (!IPAddress.TryParse(bindAddress, out var bound) || IPAddress.IsLoopback(bound) || bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any))
        {
            return true;
        }
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(serverCertPath);
        return certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Any(e => e.EnumerateIPAddresses().Contains(bound));
    }

    internal static void WriteSecret(string path, string content)
    {
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
