namespace Maran.Instrument.Diagnostics;

/// <summary>A part of the monitoring system that runs in the background between Start and Stop.</summary>
internal interface IMonitoringService
{
    string Name { get; }

    void Start();

    /// <summary>Stops promptly, after flushing what was accepted.</summary>
    void Stop();
}
