namespace Maran.Instrument.Integration.Tests.Export;

/// <summary>A test that needs Debian's <c>prometheus</c> package; skipped, saying so, only when it is not installed.</summary>
internal sealed class PrometheusFactAttribute : FactAttribute
{
    public PrometheusFactAttribute()
    {
        if (PrometheusServer.Find("prometheus") is null || PrometheusServer.Find("promtool") is null)
        {
            Skip = "prometheus and promtool are not installed (apt-get install prometheus; .ci/run installs them)";
        }
    }
}
