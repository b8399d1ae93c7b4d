using System.Net;
using Maran.Instrument.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Prometheus;

namespace Maran.Instrument;

/// <summary>
/// The standalone <c>/metrics</c> endpoint under <c>production.ssl_enabled</c>: a Kestrel server serving HTTPS only
/// (<see cref="HttpsListener"/>) with prometheus-net's exposition at <c>/metrics</c>, in place of the plain-HTTP
/// <see cref="MetricServer"/>, which cannot present a certificate.
/// </summary>
internal sealed class TlsMetricServer : IDisposable
{
    private readonly WebApplication _app;

    private TlsMetricServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The bound address of <c>/metrics</c> (with the port picked when 0 was asked).</summary>
    public Uri Url { get; }

    /// <summary>Listens on <paramref name="host"/> (<c>+</c> for every interface) at <paramref name="port"/>; returns once bound.</summary>
    public static TlsMetricServer Start(string host, int port, ServerCertificate certificate, CollectorRegistry registry)
    {
        IPAddress address = host switch
        {
            "+" => IPAddress.Any,
            "localhost" => IPAddress.Loopback,
            _ => IPAddress.Parse(host),
        };
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(TlsMetricServer).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, port, listen => HttpsListener.UseServerCertificate(listen, certificate));
        });
        builder.Services.AddRouting();
        builder.Services.AddSingleton<IHostLifetime, NoLifetime>();
        WebApplication app = builder.Build();
        app.UseMetricServer("/metrics", registry);
        try
        {
            // Start is synchronous for the monitoring system; Kestrel's start runs off any caller's context.
            Task.Run(() => app.StartAsync()).GetAwaiter().GetResult();
        }
        catch
        {
            Task.Run(() => app.DisposeAsync().AsTask()).GetAwaiter().GetResult();
            throw;
        }

        string bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(bound);
        string shown = host == "+" ? "0.0.0.0" : host;
        return new TlsMetricServer(app, new UriBuilder(Uri.UriSchemeHttps, shown, uri.Port, "/metrics").Uri);
    }

    public void Dispose() => Task.Run(async () =>
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }).GetAwaiter().GetResult();

    /// <summary>A lifetime that takes no signal: the process's signals belong to the program and the monitoring system.</summary>
    private sealed class NoLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
