using System.Collections;
using Maran.Instrument.Configuration;

namespace Maran.Instrument.Tests.Configuration;

public class DashboardSettingsTests
{
    [Fact]
    public void The_dashboard_section_is_read_from_the_file_and_its_named_variables()
    {
        string file = Path.Combine(Path.GetTempPath(), $"maran-dashboard-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, "dashboard:\n  host: 0.0.0.0\n  trend_minutes: 5\n  max_traces: 20\n");
        try
        {
            var variables = new Hashtable { ["MARAN_DASHBOARD_TOKEN"] = "a-token-long-enough-to-pass" };

            DashboardSettings settings = MonitoringOptions.Load(file, variables).Dashboard;

            Assert.Equal("0.0.0.0", settings.Host);
            Assert.False(settings.IsLoopback);
            Assert.Equal("a-token-long-enough-to-pass", settings.Token);
            Assert.Equal(5, settings.TrendMinutes);
            Assert.Equal(20, settings.MaxTraces);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("localhost", true)]
    [InlineData("::1", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("192.0.2.10", false)]
    public void Only_loopback_hosts_count_as_loopback(string host, bool loopback) =>
        Assert.Equal(loopback, new DashboardSettings { Host = host }.IsLoopback);

    [Fact]
    public void A_short_token_is_an_error_that_does_not_repeat_the_token()
    {
        var options = new MonitoringOptions();
        options.Dashboard.Token = "too-short";

        ConfigurationError error = Assert.Single(options.Validate());

        Assert.Equal("dashboard.token", error.Key);
        Assert.DoesNotContain("too-short", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_that_is_no_address_is_an_error()
    {
        var options = new MonitoringOptions();
        options.Dashboard.Host = "my laptop";

        Assert.Equal("dashboard.host", Assert.Single(options.Validate()).Key);
    }

    [Fact]
    public void The_prometheus_source_and_its_address_are_read_from_the_file_in_any_case()
    {
        string file = Path.Combine(Path.GetTempPath(), $"maran-dashboard-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, "dashboard:\n  source: Prometheus\n  prometheus_url: http://prometheus:9090/\n");
        try
        {
            DashboardSettings settings = MonitoringOptions.Load(file, new Hashtable()).Dashboard;

            Assert.Equal(DashboardSource.Prometheus, settings.Source);
            Assert.Equal("http://prometheus:9090/", settings.PrometheusUrl);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("prometheus:9090", "must use http or https, not prometheus")]
    [InlineData("ftp://prometheus:9090/", "not ftp")]
    [InlineData("http://prometheus:9090/?x=1", "query or a fragment")]
    [InlineData("http://admin:secret@prometheus:9090/", "user name or password")]
    [InlineData("/var/prometheus", "absolute http or https")]
    public void A_prometheus_address_that_is_not_a_servers_is_an_error_naming_the_key_and_why(string url, string why)
    {
        var options = new MonitoringOptions();
        options.Dashboard.Source = DashboardSource.Prometheus;
        options.Dashboard.PrometheusUrl = url;

        ConfigurationError error = Assert.Single(options.Validate());

        Assert.Equal("dashboard.prometheus_url", error.Key);
        Assert.Contains(why, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_prometheus_source_without_an_address_is_an_error_naming_the_key()
    {
        var options = new MonitoringOptions();
        options.Dashboard.Source = DashboardSource.Prometheus;

        ConfigurationError error = Assert.Single(options.Validate());

        Assert.Equal("dashboard.prometheus_url", error.Key);
        Assert.Contains("source: prometheus", error.ToString(), StringComparison.Ordinal);
    }
}
