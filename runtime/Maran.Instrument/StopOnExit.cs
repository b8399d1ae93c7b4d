using System.Runtime.InteropServices;

namespace Maran.Instrument;

/// <summary>
/// Stops a running system before the process ends: when it exits normally (<see cref="AppDomain.ProcessExit"/>) and
/// when SIGTERM, SIGINT or SIGHUP is about to end it. A signal handler the program registered after
/// <see cref="AdvancedMonitoringSystem.Start"/> runs first; when it cancels the signal to shut down on its own, this one
/// does nothing and the program stops the system when it is done.
/// </summary>
internal sealed class StopOnExit : IDisposable
{
    /// <summary>The signals whose default action ends the process and that a supervisor or terminal sends to stop it.</summary>
    internal static readonly PosixSignal[] Signals = [PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP];

    private readonly Action _stop;
    private readonly List<PosixSignalRegistration> _registrations = [];

    public StopOnExit(Action stop)
    {
        _stop = stop;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        foreach (PosixSignal signal in Signals)
        {
            try
            {
                // Not cancelled: once the system has stopped, the signal ends the process as it would have.
                _registrations.Add(PosixSignalRegistration.Create(signal, _ => _stop()));
            }
            catch (Exception ex) when (ex is PlatformNotSupportedException or IOException)
            {
                // This platform has no such signal (or no signal handling): nothing to stop on.
            }
        }
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        foreach (PosixSignalRegistration registration in _registrations)
        {
            registration.Dispose();
        }

        _registrations.Clear();
    }

    private void OnProcessExit(object? sender, EventArgs e) => _stop();
}
