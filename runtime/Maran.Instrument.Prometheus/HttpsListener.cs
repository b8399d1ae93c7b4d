using System.Security.Authentication;
using Maran.Instrument.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Maran.Instrument;

/// <summary>
/// Turns a Kestrel endpoint of the toolkit's own servers (the standalone <c>/metrics</c> and the dashboard) into an
/// HTTPS-only one: TLS 1.2 or 1.3 with the <see cref="ServerCertificate"/> of <c>production.ssl</c>. A client that
/// speaks plain HTTP to it fails the handshake and the connection is closed: no request is read and nothing is served.
/// </summary>
internal static class HttpsListener
{
    /// <summary>The protocols offered: TLS 1.2 and 1.3, never older.</summary>
    internal const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    public static void UseServerCertificate(ListenOptions listen, ServerCertificate certificate) =>
        listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = certificate.Certificate,
            ServerCertificateChain = certificate.Chain.Count > 0 ? certificate.Chain : null,
            SslProtocols = Protocols,
            ClientCertificateMode = ClientCertificateMode.NoCertificate,
            HandshakeTimeout = TimeSpan.FromSeconds(10),
        });
}
