using System.Text.Json;
using Maran.Instrument.Configuration;
using Microsoft.Data.Sqlite;

namespace Maran.Instrument.Tests.Errors;

[Collection(TrackerCollection.Name)]
public class DashboardSnapshotTests
{
    [Fact]
    public void The_system_snapshot_carries_the_error_and_cost_summaries_and_serialises()
    {
        string folder = Path.Combine(Path.GetTempPath(), "maran-dashboard-" + Guid.NewGuid().ToString("N"));
        var options = new MonitoringOptions();
        options.Monitoring.DataDirectory = folder;
        options.Monitoring.MetricsPort = 0;
        options.Logging.Console = false;
        options.Logging.File = false;
        try
        {
            using var system = new AdvancedMonitoringSystem(options);
            system.Start();
            Assert.Throws<KeyNotFoundException>(() => Intercepted.CallLookup(11));
            system.CostTracker.RecordTokens("gpt-4o-mini", 1000, 100, component: "dashboard");
            system.Flush();

            DashboardData data = system.GetDashboardData();
            string json = JsonSerializer.Serialize(data);

            Assert.Equal(1, data.Errors.ByComponent["errors_agent"]);
            Assert.Equal(((1000 * 0.15m) + (100 * 0.60m)) / 1_000_000m, data.Costs.ByComponent["dashboard"]);
            Assert.Contains("\"TopGroups\"", json, StringComparison.Ordinal);
            Assert.Contains("\"ByModel\"", json, StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
