using System.Net;
using System.Net.Sockets;
using Maran.Instrument.Errors;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Maran.Instrument.Hosting.Tests;

/// <summary>Each feature package's builder extension puts its feature in the host's system, and a host without it has none.</summary>
[Collection(DefaultSystemCollection.Name)]
public sealed class BuilderExtensionTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "maran-builder-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task AddSqlite_writes_the_errors_tracked_in_the_host_to_the_database_file_by_graceful_stop()
    {
        string database = Path.Combine(_directory, "maran.db");
        using IHost host = Host(monitoring => monitoring.AddSqlite(storage => storage.Path = database));
        var system = host.Services.GetRequiredService<AdvancedMonitoringSystem>();

        await host.StartAsync();
        system.ErrorTracker.TrackError("TimeoutError", ErrorSeverity.Error, "billing", "the payment service timed out");
        system.ErrorTracker.TrackError("TimeoutError", ErrorSeverity.Error, "billing", "the payment service timed out again");
        await host.StopAsync();

        Assert.Contains("sqlite", system.Features);
        Assert.Equal(2L, Scalar(database, "SELECT COUNT(*) FROM errors WHERE component = 'billing'"));
    }

    [Fact]
    public async Task AddPrometheus_serves_metrics_on_the_metrics_port_while_the_host_runs()
    {
        int port = FreePort();
        using IHost host = Host(monitoring => monitoring.AddPrometheus(metrics => metrics.MetricsPort = port));
        using var client = new HttpClient();

        await host.StartAsync();
        string metrics = await client.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        await host.StopAsync();

        Assert.Contains("system_health_score", metrics, StringComparison.Ordinal);
        Assert.False(Listening(port));
    }

    [Fact]
    public async Task AddDashboard_serves_the_dashboard_on_its_port_while_the_host_runs()
    {
        int port = FreePort();
        using IHost host = Host(monitoring => monitoring.AddDashboard(options => options.Monitoring.DashboardPort = port));
        using var client = new HttpClient();

        await host.StartAsync();
        var dashboard = host.Services.GetRequiredService<MonitoringDashboard>();
        Uri? url = dashboard.Url;
        using HttpResponseMessage page = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/"));
        await host.StopAsync();

        Assert.Equal(port, url?.Port);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("prometheus", host.Services.GetRequiredService<AdvancedMonitoringSystem>().Features);
        Assert.False(Listening(port));
    }

    [Fact]
    public async Task AddSerilog_writes_the_monitoring_log_to_the_logs_directory()
    {
        using IHost host = Host(monitoring => monitoring.AddSerilog(logging => logging.Console = false));
        var system = host.Services.GetRequiredService<AdvancedMonitoringSystem>();

        await host.StartAsync();
        system.Logger.Information("checkout {Order} paid", 1234);
        await host.StopAsync();

        string[] files = Directory.GetFiles(Path.Combine(_directory, "logs"));
        Assert.Contains(files, file => File.ReadAllText(file).Contains("checkout 1234 paid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddEmail_and_AddTokenizers_build_the_system_with_their_features_and_settings()
    {
        using IHost host = Host(monitoring => monitoring
            .AddEmail(email => email.From = "alerts@example.org")
            .AddTokenizers(costs => costs.EstimateTokens = true));
        var system = host.Services.GetRequiredService<AdvancedMonitoringSystem>();

        await host.StartAsync();
        await host.StopAsync();

        Assert.Equal(["email", "tokenizers"], system.Features);
        Assert.Equal("alerts@example.org", system.Options.Alerts.Channels.Email.From);
        Assert.True(system.Options.Costs.EstimateTokens);
    }

    [Fact]
    public async Task A_host_without_builder_extensions_has_no_feature_no_database_and_no_endpoint()
    {
        int metricsPort = FreePort();
        int dashboardPort = FreePort();
        using IHost host = Host(monitoring => monitoring.ConfigureOptions(options =>
        {
            options.Monitoring.MetricsPort = metricsPort;
            options.Monitoring.DashboardPort = dashboardPort;
        }));
        var system = host.Services.GetRequiredService<AdvancedMonitoringSystem>();

        await host.StartAsync();
        system.ErrorTracker.TrackError("TimeoutError", ErrorSeverity.Error, "billing", "the payment service timed out");
        bool metricsServed = Listening(metricsPort);
        bool dashboardServed = Listening(dashboardPort);
        await host.StopAsync();

        Assert.Empty(system.Features);
        Assert.False(metricsServed);
        Assert.False(dashboardServed);
        Assert.Null(host.Services.GetService<MonitoringDashboard>());
        Assert.False(File.Exists(Path.Combine(_directory, "data", "maran.db")));
        Assert.Empty(Directory.Exists(Path.Combine(_directory, "logs")) ? Directory.GetFiles(Path.Combine(_directory, "logs")) : []);
    }

    [Fact]
    public void A_feature_added_twice_is_built_in_once()
    {
        using IHost host = Host(monitoring => monitoring.AddSqlite().AddSqlite().AddPrometheus().AddDashboard());

        var system = host.Services.GetRequiredService<AdvancedMonitoringSystem>();

        Assert.Equal(["sqlite", "prometheus"], system.Features);
    }

    private IHost Host(Action<IMaranBuilder> features)
    {
        Directory.CreateDirectory(_directory);
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _directory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Maran:monitoring:metrics_port"] = "0",
            ["Maran:monitoring:data_dir"] = Path.Combine(_directory, "data"),
            ["Maran:monitoring:logs_dir"] = Path.Combine(_directory, "logs"),
            ["Maran:alerts:enabled"] = "false",
        });
        builder.Services.AddSingleton(new MaranEnvironment(new Dictionary<string, string>()));
        features(builder.Services.AddMaranMonitoring());
        return builder.Build();
    }

    private static long Scalar(string database, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static bool Listening(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
