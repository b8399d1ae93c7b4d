using Maran.Instrument.Configuration;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Features;

namespace Maran.Instrument.Tests.Lifecycle;

[Collection(RuntimeSwitches.Name)]
public sealed class FailedStartTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("maran-failed-start-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_service_that_fails_to_start_stops_the_ones_started_before_it_and_Start_can_be_called_again()
    {
        var events = new List<string>();
        var feature = new StartsOnSecondTry(events);
        using var system = new AdvancedMonitoringSystem(Options(), TimeProvider.System, [feature]);

        var failure = Assert.Throws<InvalidOperationException>(system.Start);

        Assert.Equal("the component's port is taken", failure.Message);
        Assert.False(system.IsRunning);
        Assert.False(system.HealthMonitor.IsMonitoring);
        Assert.Equal(["first started", "failing refused", "first stopped"], events);

        system.Start();

        Assert.True(system.IsRunning);
        Assert.True(system.HealthMonitor.IsMonitoring);
        Assert.Equal(["first started", "failing refused", "first stopped", "first started", "failing started"], events);
    }

    private MonitoringOptions Options()
    {
        var options = new MonitoringOptions();
        options.Monitoring.DataDirectory = _folder;
        options.Monitoring.MetricsPort = 0;
        options.Logging.Console = false;
        options.Logging.File = false;
        return options;
    }

    // Two components: one that starts before the core's services, and one after them that refuses its first start.
    private sealed class StartsOnSecondTry(List<string> events) : MaranFeature
    {
        public override string Name => "starts-on-second-try";

        internal override void Contribute(FeatureContributions contributions)
        {
            contributions.AddComponent(_ => new Recording("first", events, failures: 0), startsFirst: true);
            contributions.AddComponent(_ => new Recording("failing", events, failures: 1));
        }
    }

    private sealed class Recording(string name, List<string> events, int failures) : IMonitoringService
    {
        private int _failuresLeft = failures;

        public string Name => name;

        public void Start()
        {
            if (_failuresLeft-- > 0)
            {
                events.Add(name + " refused");
                throw new InvalidOperationException("the component's port is taken");
            }

            events.Add(name + " started");
        }

        public void Stop() => events.Add(name + " stopped");
    }
}
