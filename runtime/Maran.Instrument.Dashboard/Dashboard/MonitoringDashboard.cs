using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Maran.Instrument.Configuration;
using Maran.Instrument.Dashboard;
using Maran.Instrument.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Maran.Instrument;

/// <summary>
/// The live web dashboard of a monitoring system, on its own Kestrel server: <c>http://127.0.0.1:8080</c> by
/// default (<c>monitoring.dashboard_port</c>, <c>MARAN_DASHBOARD_PORT</c>; <c>dashboard.host</c>), HTTPS only under
/// <c>production.ssl_enabled</c>. Operations,
/// trends, health, errors, costs, logs, alerts and traces, pushed to the page once a second over WebSocket, and the
/// Prometheus metrics at <c>/metrics</c> on the same port and access rules.
/// To serve it from an existing ASP.NET Core app instead, use <c>app.MapMaranDashboard()</c>.
/// </summary>
/// <example>
/// <code>
/// var monitoring = AdvancedMonitoringSystem.Default;
/// monitoring.Start();
/// await using var dashboard = new MonitoringDashboard(monitoring);
/// await dashboard.StartAsync();
/// Console.WriteLine(dashboard.Url);
/// </code>
/// </example>
public sealed class MonitoringDashboard : IAsyncDisposable
{
    private readonly AdvancedMonitoringSystem _system;
    private readonly TimeProvider _time;
    private readonly TextWriter _console;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private WebApplication? _app;
    private DashboardHub? _hub;
    private string? _generatedToken;
    private ServerCertificate? _ownCertificate;

    /// <summary>Creates the dashboard of <paramref name="system"/>; nothing listens until it is started.</summary>
    public MonitoringDashboard(AdvancedMonitoringSystem system)
        : this(system, TimeProvider.System, Console.Out)
    {
    }

    internal MonitoringDashboard(AdvancedMonitoringSystem system, TimeProvider time, TextWriter console)
    {
        ArgumentNullException.ThrowIfNull(system);
        _system = system;
        _time = time;
        _console = console;
    }

    /// <summary>The address the dashboard listens on once started (with the port chosen when the setting is 0); null before.</summary>
    public Uri? Url { get; private set; }

    /// <summary>The access token requests must carry (configured or generated at start); null when only this machine is served.</summary>
    public string? AccessToken { get; private set; }

    /// <summary>The hub, for tests: trends, clients and the current frame.</summary>
    internal DashboardHub? Hub => _hub;

    /// <summary>The routes served once started, for tests that must cover every one (every change route, say).</summary>
    internal IEnumerable<Microsoft.AspNetCore.Routing.RouteEndpoint> Routes =>
        _app is null ? [] : ((Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)_app).DataSources.SelectMany(static d => d.Endpoints).OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>();

    /// <summary>
    /// Starts listening and returns once the port is bound. Prints an address a browser on this machine can open to
    /// standard output: with a generated access token, once; a configured token is never printed.
    /// </summary>
    /// <exception cref="DashboardStartException">
    /// The port is taken, the address cannot be used, a token is needed and none may be generated, a token's secret
    /// cannot be read, or the certificate of <c>production.ssl</c> is missing, unreadable, expired, not valid yet or
    /// mismatched; the message says which setting or file to change.
    /// </exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_app is not null)
            {
                return;
            }

            DashboardSettings settings = _system.Options.Dashboard;
            ProductionSettings? production = _system.Options.Production;
            int port = _system.Options.Monitoring.DashboardPort;
            CheckSettings(settings, port);
            string? token = ResolveToken(settings);
            IReadOnlyList<DashboardCredential> credentials = ResolveCredentials(settings, token);
            ServerCertificate? certificate = Certificate();
            IPAddress address = ListenAddress(settings.Host);

            WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(MonitoringDashboard).Assembly.GetName().Name });
            builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                DashboardPipeline.Configure(kestrel.Limits);
                kestrel.Listen(address, port, listen =>
                {
                    if (certificate is not null)
                    {
                        HttpsListener.UseServerCertificate(listen, certificate);
                    }
                });
            });
            builder.Services.AddRouting();
            builder.Services.AddSingleton<IHostLifetime, DetachedLifetime>();
            WebApplication app = builder.Build();
            bool debugMode = production is { DebugMode: true };
            DashboardPipeline.Use(app, debugMode);
            var failures = new AuthFailures(_system.Prometheus.Registry, _system.Options.Monitoring.MetricsPrefix);
            var hub = new DashboardHub(_system, settings, _time, failures, DashboardHub.SourceOf(_system, _time));
            var limiter = new AuthFailureLimiter(settings.AuthFailureLimit, settings.AuthFailureWindow, _time);
            var guard = new AccessGuard(credentials, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"maran_dashboard_{port}"), "/", limiter, failures)
            {
                DebugMode = debugMode,
                Audit = _system.Audit,
            };
            DashboardEndpoints.Map(app, string.Empty, hub, guard);
            DashboardEndpoints.MapMetrics(app, _system.Prometheus.Registry, guard);

            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException)
            {
                await hub.DisposeAsync().ConfigureAwait(false);
                await app.DisposeAsync().ConfigureAwait(false);
                _ownCertificate?.Dispose();
                _ownCertificate = null;
                throw BindFailure(settings.Host, port, ex);
            }

            hub.Start();
            _hub = hub;
            _app = app;
            AccessToken = token;
            Url = BoundUrl(app, settings.Host);
            Announce(token, credentials.Count > (token is null ? 0 : 1));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops listening, closing every live client. The dashboard can be started again.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_app is null)
            {
                return;
            }

            await _hub!.StopAsync().ConfigureAwait(false);
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
            _hub = null;
            Url = null;
            _ownCertificate?.Dispose();
            _ownCertificate = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs the dashboard until <paramref name="cancellationToken"/> fires, then stops it.</summary>
    /// <exception cref="DashboardStartException">The dashboard could not start; the message says why.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Asked to stop.
        }
        finally
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs the dashboard until Ctrl+C or the end of the process. When it cannot start (a port in use, say) it prints
    /// why to standard error, without a stack trace, and returns 1; otherwise it returns 0 once stopped.
    /// </summary>
    public int Run()
    {
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        EventHandler onExit = (_, _) => stop.Cancel();
        Console.CancelKeyPress += onCancel;
        AppDomain.CurrentDomain.ProcessExit += onExit;
        try
        {
            RunAsync(stop.Token).GetAwaiter().GetResult();
            return 0;
        }
        catch (DashboardStartException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            AppDomain.CurrentDomain.ProcessExit -= onExit;
        }
    }

    /// <summary>Stops the dashboard.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    private void CheckSettings(DashboardSettings settings, int port)
    {
        var binder = new OptionsBinder(_system.Options.ConfigurationRoot);
        settings.Validate(binder, "dashboard", production: _system.Options.Production is not null);
        _system.Options.Production?.Validate(binder, "production");
        if (port is < 0 or > 65535)
        {
            binder.Error("monitoring:dashboard_port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "a port must be between 1 and 65535 (0 picks a free port)");
        }

        if (binder.Errors.Count > 0)
        {
            throw new DashboardStartException(
                "The dashboard cannot start: " + string.Join("; ", binder.Errors.Select(static e => e.ToString())));
        }
    }

    private string? ResolveToken(DashboardSettings settings)
    {
        if (settings.Token is { Length: > 0 } configured)
        {
            return configured;
        }

        if (settings.IsLoopback || settings.Tokens.Count > 0)
        {
            return null;
        }

        if (!settings.GenerateToken)
        {
            throw new DashboardStartException(
                $"The dashboard will not listen on {settings.Host} (dashboard.host, MARAN_DASHBOARD_HOST) without an access token: " +
                "that address can be reached from other machines. Set dashboard.token (MARAN_DASHBOARD_TOKEN, at least " +
                $"{DashboardSettings.MinimumTokenLength} characters), allow a generated one (dashboard.generate_token: true), or listen on 127.0.0.1.");
        }

        return _generatedToken ??= Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The named tokens of <c>dashboard.tokens</c> with their secrets read, and <paramref name="token"/> as an operator's.</summary>
    private static IReadOnlyList<DashboardCredential> ResolveCredentials(DashboardSettings settings, string? token)
    {
        var problems = new List<string>();
        IReadOnlyList<DashboardCredential> credentials = DashboardCredential.Resolve(settings, token, Environment.GetEnvironmentVariable, problems);
        if (problems.Count > 0)
        {
            throw new DashboardStartException("The dashboard cannot start: " + string.Join("; ", problems));
        }

        return credentials;
    }

    /// <summary>
    /// The certificate under <c>production.ssl_enabled</c>: the one the started monitoring system checked, or, when it
    /// has not started, one read and checked here (and released when the dashboard stops).
    /// </summary>
    private ServerCertificate? Certificate()
    {
        if (_system.Options.Production is not { SslEnabled: true })
        {
            return null;
        }

        if (_system.ServerCertificate is { } checkedAtStart)
        {
            return checkedAtStart;
        }

        var binder = new OptionsBinder(_system.Options.ConfigurationRoot);
        ServerCertificate? certificate = ServerCertificate.Load(_system.Options, binder, _time);
        if (certificate is null)
        {
            throw new DashboardStartException(
                "The dashboard cannot start: " + string.Join("; ", binder.Errors.Select(static e => e.ToString())));
        }

        _ownCertificate?.Dispose();
        _ownCertificate = certificate;
        return certificate;
    }

    private static IPAddress ListenAddress(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : IPAddress.Parse(host);

    private static DashboardStartException BindFailure(string host, int port, Exception ex)
    {
        bool inUse = ex is AddressInUseException || ex.InnerException is AddressInUseException
            || (ex as SocketException ?? ex.InnerException as SocketException)?.SocketErrorCode == SocketError.AddressAlreadyInUse;
        string where = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{host}:{port}");
        string reason = inUse
            ? $"port {port} is already in use by another program"
            : (ex.InnerException ?? ex).Message;
        return new DashboardStartException(
            $"The dashboard cannot listen on {where}: {reason}. Set monitoring.dashboard_port in monitoring_config.yaml " +
            "(or MARAN_DASHBOARD_PORT) to a free port, or to 0 to have one picked.",
            ex);
    }

    private static Uri BoundUrl(WebApplication app, string host)
    {
        string bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(bound);
        string shownHost = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ? "127.0.0.1" : uri.Host;
        return new UriBuilder(uri.Scheme, shownHost, uri.Port, "/").Uri;
    }

    private void Announce(string? token, bool namedTokens)
    {
        try
        {
            if (token is null)
            {
                _console.WriteLine($"Maran dashboard: {Url}");
                if (namedTokens)
                {
                    _console.WriteLine("  requests need one of the access tokens of dashboard.tokens.");
                }

                return;
            }

            // An address every interface answers is not one a browser should open: show this machine's loopback.
            Uri open = IPAddress.TryParse(Url!.Host, out IPAddress? address) && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
                ? new UriBuilder(Url) { Host = "localhost" }.Uri
                : Url;
            if (!ReferenceEquals(token, _generatedToken))
            {
                // A configured token is a secret someone else keeps: it is never printed.
                _console.WriteLine($"Maran dashboard: {open}");
                _console.WriteLine($"  listening on {Url}; requests need the access token set in dashboard.token (MARAN_DASHBOARD_TOKEN).");
                return;
            }

            _console.WriteLine($"Maran dashboard: {open}?t={token}");
            _console.WriteLine($"  listening on {Url}; requests need this generated access token (shown only this once).");
        }
        catch (IOException)
        {
            // No console to print to; the address is still on Url.
        }
    }
}
