using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Maran.Instrument.Integration.Tests.Lifecycle;

/// <summary>
/// A real program (tests/Maran.Instrument.CrashWriter) accepts errors into a started monitoring system, with and
/// without the dashboard, and is ended by a real signal: the system stops, the errors it accepted are in the database,
/// and the process ends as the signal ends it, within the stop timeout.
/// </summary>
public sealed class SignalStopTests : IDisposable
{
    /// <summary>
    /// Enough errors that writing them takes longer than the signal takes to arrive (killed at once, the program leaves
    /// not even the table), few enough that a busy machine writes them well within the stop timeout.
    /// </summary>
    private const int Accepted = 2_000;

    /// <summary>The program's <c>storage.stop_timeout</c>.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    /// <summary>What ending the process may add to the stop timeout (the runtime's own shutdown) on a busy machine.</summary>
    private static readonly TimeSpan Teardown = TimeSpan.FromSeconds(15);

    private readonly string _folder = Directory.CreateTempSubdirectory("maran-signal-").FullName;

    [Theory]
    [InlineData("TERM", 15, false)]
    [InlineData("INT", 2, false)]
    [InlineData("HUP", 1, false)]
    [InlineData("TERM", 15, true)]
    [InlineData("INT", 2, true)]
    public async Task A_signal_stops_the_program_with_every_accepted_error_written(string signal, int number, bool dashboard)
    {
        using Process process = StartWriter(dashboard);
        try
        {
            using var ready = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            if (dashboard)
            {
                string url = await ReadLineAsync(process, "dashboard ", ready.Token);
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
                using HttpResponseMessage answer = await http.GetAsync(new Uri(new Uri(url), "api/sections"), ready.Token);
                Assert.True(answer.IsSuccessStatusCode, $"the dashboard answered {(int)answer.StatusCode}");
            }

            Assert.Equal(Accepted.ToString(CultureInfo.InvariantCulture), await ReadLineAsync(process, "accepted ", ready.Token));
            Send(signal, process.Id);

            using var stopped = new CancellationTokenSource(StopTimeout + Teardown);
            await process.WaitForExitAsync(stopped.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }

        // Ended by the signal, as the default action ends a process, once the system had stopped.
        Assert.Equal(128 + number, process.ExitCode);
        Assert.Equal(Accepted, CountErrors());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private Process StartWriter(bool dashboard)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Maran.Instrument.CrashWriter.dll"));
        start.ArgumentList.Add(_folder);
        start.ArgumentList.Add("accept");
        start.ArgumentList.Add(Accepted.ToString(CultureInfo.InvariantCulture));
        if (dashboard)
        {
            start.ArgumentList.Add("dashboard");
        }

        Process process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<string> ReadLineAsync(Process process, string prefix, CancellationToken cancellationToken)
    {
        while (true)
        {
            string? line = await process.StandardOutput.ReadLineAsync(cancellationToken);
            Assert.True(line is not null, $"the program ended before printing '{prefix}'");
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line[prefix.Length..];
            }
        }
    }

    /// <summary>Sends a real signal with kill(1); <see cref="Process.Kill()"/> would send SIGKILL, which nothing can handle.</summary>
    private static void Send(string signal, int pid)
    {
        DotNet.Result result = DotNet.Exec("/bin/kill", Environment.CurrentDirectory, TimeSpan.FromSeconds(30), "-s", signal, pid.ToString(CultureInfo.InvariantCulture));
        result.EnsureSuccess($"kill -s {signal} {pid}");
    }

    private long CountErrors()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "maran.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM errors WHERE component = 'crash_writer'";
        return (long)command.ExecuteScalar()!;
    }
}
