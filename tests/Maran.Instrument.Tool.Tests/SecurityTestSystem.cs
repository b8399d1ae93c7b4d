using System.Collections;
using System.Security.Cryptography;
using Maran.Instrument.Configuration;
using Maran.Instrument.Features;
using Microsoft.Data.Sqlite;

namespace Maran.Instrument.Tool.Tests;

/// <summary>A monitoring system with every feature writing into a folder of its own, and the maran tool run in-process on it.</summary>
internal sealed class SecurityTestSystem : IDisposable
{
    public SecurityTestSystem(Action<MonitoringOptions>? configure = null, TimeProvider? time = null)
    {
        Directory.CreateDirectory(Folder);
        Options = new MonitoringOptions();
        Options.Monitoring.MetricsPort = 0;
        Options.Monitoring.LogsDirectory = Path.Combine(Folder, "logs");
        Options.Monitoring.DataDirectory = Path.Combine(Folder, "data");
        Options.Logging.Console = false;
        Options.Production = new ProductionSettings();
        Options.Production.Security.AuditDirectory = AuditFolder;
        configure?.Invoke(Options);
        Monitoring = time is null
            ? new AdvancedMonitoringSystem(Options)
            : new AdvancedMonitoringSystem(Options, time, MaranFeatures.Registered);
        Monitoring.StopOnProcessExit = false;
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "maran-security-" + Guid.NewGuid().ToString("N"));

    public string AuditFolder => Path.Combine(Folder, "audit");

    public string LogsFolder => Path.Combine(Folder, "logs");

    public string DatabasePath => Options.Storage.ResolvePath(Options.Monitoring);

    public MonitoringOptions Options { get; }

    public AdvancedMonitoringSystem Monitoring { get; }

    /// <summary>The audit files, oldest first.</summary>
    public string[] AuditFiles => [.. Directory.GetFiles(AuditFolder, "audit-*.jsonl").Order(StringComparer.Ordinal)];

    /// <summary>A new random key, base64, written to <c>key.txt</c> in the folder; returns the file's path.</summary>
    public string WriteKeyFile(out string key)
    {
        key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        string path = Path.Combine(Folder, "key.txt");
        File.WriteAllText(path, key + "\n");
        return path;
    }

    /// <summary>Runs <c>maran</c> with <paramref name="args"/> in-process, with only <paramref name="environment"/> as its variables.</summary>
    public static ToolRun RunTool(IDictionary? environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = MaranTool.Run(args, output, error, environment ?? new Hashtable());
        return new ToolRun(exit, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        Monitoring.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>What one run of the tool gave: its exit code, standard output and standard error.</summary>
internal sealed record ToolRun(int ExitCode, string Output, string Error);
