using System.Net;
using System.Net.Sockets;

namespace Maran.Instrument.Dashboard.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}

[Collection(ConsoleCollection.Name)]
public class RunTests
{
    [Fact]
    public void Run_on_a_port_in_use_prints_why_without_a_stack_trace_and_returns_1()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var system = new AdvancedMonitoringSystem(TestDashboard.Options(o => o.Monitoring.DashboardPort = port));
        var dashboard = new MonitoringDashboard(system);
        TextWriter original = Console.Error;
        var error = new StringWriter();
        Console.SetError(error);
        int exitCode;
        try
        {
            exitCode = dashboard.Run();
        }
        finally
        {
            Console.SetError(original);
        }

        string message = error.ToString();
        Assert.Equal(1, exitCode);
        Assert.Contains($"127.0.0.1:{port}", message, StringComparison.Ordinal);
        Assert.Contains("monitoring.dashboard_port", message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
    }
}
