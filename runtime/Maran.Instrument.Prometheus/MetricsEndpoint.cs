using System.Net;
using System.Net.Sockets;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Security;
using Prometheus;

namespace Maran.Instrument;

/// <summary>
/// The standalone <c>/metrics</c> endpoint: prometheus-net's <see cref="MetricServer"/> on
/// <c>monitoring.metrics_host</c> (127.0.0.1 and the <c>localhost</c> name by default; <c>*</c> for every interface)
/// at <c>monitoring.metrics_port</c>, started and stopped with the monitoring system. A port that is taken is
/// reported, naming the port and the setting, and monitoring carries on without the endpoint. Under
/// <c>production.ssl_enabled</c> it serves HTTPS only, from a <see cref="TlsMetricServer"/>.
/// </summary>
internal sealed class MetricsEndpoint(PrometheusExporter exporter, Func<(string Host, int Port)> address, Func<ServerCertificate?> certificate) : IMonitoringService
{
    private const int FreePortAttempts = 5;
    private readonly List<MetricServer> _servers = [];
    private TlsMetricServer? _tls;

    public string Name => "metrics endpoint";

    public void Start()
    {
        (string configuredHost, int configured) = address();
        bool everyInterface = configuredHost is "*" or "+" or "0.0.0.0";
        string host = everyInterface ? "+" : configuredHost;
        string shown = everyInterface ? "0.0.0.0" : configuredHost;
        exporter.MetricSet();
        if (certificate() is { } tls)
        {
            StartTls(host, shown, configured, tls);
            return;
        }

        for (int attempt = 1; ; attempt++)
        {
            int chosen = configured == 0 ? FreePort() : configured;
            try
            {
                Listen(host, chosen);
                exporter.EndpointUrl = new Uri($"http://{shown}:{chosen}/metrics");
                exporter.EndpointProblem = null;
                if (host == "127.0.0.1")
                {
                    TryListen("localhost", chosen);
                }

                return;
            }
            catch (Exception ex) when (ex is HttpListenerException or SocketException or InvalidOperationException)
            {
                // A free port picked for port 0 can be taken before it is bound: try another.
                if (configured == 0 && attempt < FreePortAttempts)
                {
                    continue;
                }

                exporter.EndpointUrl = null;
                exporter.EndpointProblem =
                    $"the metrics endpoint could not listen on {shown}:{chosen} ({ex.Message}); is another program using port {chosen}? " +
                    "Choose another port with monitoring.metrics_port in monitoring_config.yaml or the MARAN_METRICS_PORT variable " +
                    "(0 picks a free port). Monitoring carries on without /metrics.";
                MonitoringDiagnostics.Warn("[maran] " + exporter.EndpointProblem);
                return;
            }
        }
    }

    public void Stop()
    {
        foreach (MetricServer server in _servers)
        {
            try
            {
                server.Stop();
            }
            catch (Exception ex) when (ex is ObjectDisposedException or HttpListenerException or InvalidOperationException)
            {
                MonitoringDiagnostics.InternalError("stopping the metrics endpoint", ex);
            }
        }

        _servers.Clear();
        try
        {
            _tls?.Dispose();
        }
        catch (Exception ex) when (ex is ObjectDisposedException or IOException or InvalidOperationException)
        {
            MonitoringDiagnostics.InternalError("stopping the metrics endpoint", ex);
        }

        _tls = null;
        exporter.EndpointUrl = null;
    }

    private void StartTls(string host, string shown, int port, ServerCertificate tls)
    {
        try
        {
            _tls = TlsMetricServer.Start(host, port, tls, exporter.Registry);
            exporter.EndpointUrl = _tls.Url;
            exporter.EndpointProblem = null;
        }
        catch (Exception ex) when (ex is IOException or SocketException or InvalidOperationException)
        {
            exporter.EndpointUrl = null;
            exporter.EndpointProblem =
                $"the metrics endpoint could not listen on https://{shown}:{port} ({(ex.InnerException ?? ex).Message}); is another program using port {port}? " +
                "Choose another port with monitoring.metrics_port in monitoring_config.yaml or the MARAN_METRICS_PORT variable " +
                "(0 picks a free port). Monitoring carries on without /metrics.";
            MonitoringDiagnostics.Warn("[maran] " + exporter.EndpointProblem);
        }
    }

    private void Listen(string host, int chosen)
    {
        var server = new MetricServer(host, chosen, "metrics/", exporter.Registry);
        server.Start();
        _servers.Add(server);
    }

    // Prometheus configurations and browsers often say localhost; HttpListener matches the Host header, so the
    // name gets a prefix of its own on the same loopback port. Best effort: 127.0.0.1 already serves.
    private void TryListen(string host, int chosen)
    {
        try
        {
            Listen(host, chosen);
        }
        catch (Exception ex) when (ex is HttpListenerException or SocketException or InvalidOperationException)
        {
            MonitoringDiagnostics.InternalError("metrics endpoint on localhost", ex);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
