using System.Collections;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Maran.Instrument.Configuration;
using Maran.Instrument.Logging;
using Maran.Instrument.Security;

namespace Maran.Instrument.Tool.Tests;

public class LogEncryptionTests
{
    private static SecurityTestSystem Encrypted(out string key, out string marker)
    {
        var test = new SecurityTestSystem();
        string keyFile = test.WriteKeyFile(out key);
        test.Options.Production!.Security.EncryptLogs = true;
        test.Options.Production!.Security.KeyFile = keyFile;
        marker = "zebra" + Guid.NewGuid().ToString("N");
        return test;
    }

    private static List<string> FilesUnder(string folder) => [.. Directory.GetFiles(folder, "*", SearchOption.AllDirectories)];

    [Fact]
    public void Log_files_hold_no_plaintext_of_an_event_and_maran_logs_decrypt_gives_its_json_line_back()
    {
        using SecurityTestSystem test = Encrypted(out string key, out string marker);
        test.Monitoring.Start();
        test.Monitoring.Logger.Warning("refund {Order} approved for {Customer}", marker, "Ada Lovelace");
        test.Monitoring.Stop();

        string file = Assert.Single(Directory.GetFiles(test.LogsFolder, "maran-*.jsonl"));
        byte[] bytes = File.ReadAllBytes(file);
        ToolRun decrypted = SecurityTestSystem.RunTool(new Hashtable { ["MARAN_ENCRYPTION_KEY"] = key }, "logs", "decrypt", file);
        JsonElement line = decrypted.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .Single(l => l.GetProperty("@m").GetString()!.Contains(marker, StringComparison.Ordinal));

        Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(marker)));
        Assert.Equal(-1, bytes.AsSpan().IndexOf("Lovelace"u8));
        Assert.All(File.ReadAllLines(file).Where(l => l.Length > 0), l => Assert.StartsWith(LogCipher.Prefix, l, StringComparison.Ordinal));
        Assert.Equal(0, decrypted.ExitCode);
        Assert.Equal("Warning", line.GetProperty("@l").GetString());
        Assert.Equal(marker, line.GetProperty("Order").GetString());
    }

    [Fact]
    public async Task The_log_store_keeps_message_text_encrypted_in_the_database_and_still_finds_it_by_word()
    {
        using SecurityTestSystem test = Encrypted(out _, out string marker);
        test.Monitoring.Start();
        test.Monitoring.Logger.Error("payment for {Order} declined", marker);
        await test.Monitoring.ErrorTracker.FlushAsync();
        IReadOnlyList<LogEntry> found = [];
        for (int attempt = 0; attempt < 50 && found.Count == 0; attempt++)
        {
            await test.Monitoring.ErrorTracker.FlushAsync();
            found = test.Monitoring.Logs.Search(new LogQuery { Text = marker, MinimumLevel = MonitoringLogLevel.Error });
            if (found.Count == 0)
            {
                await Task.Delay(100);
            }
        }

        test.Monitoring.Stop();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        byte[] needle = Encoding.UTF8.GetBytes(marker);
        List<string> stored = FilesUnder(Path.GetDirectoryName(test.DatabasePath)!);

        LogEntry entry = Assert.Single(found);
        Assert.Contains(marker, entry.Message, StringComparison.Ordinal);
        Assert.NotEmpty(stored);
        Assert.All(stored, f => Assert.Equal(-1, File.ReadAllBytes(f).AsSpan().IndexOf(needle)));
    }

    [Fact]
    public void Decrypting_with_another_key_fails_naming_the_line_and_the_key_source()
    {
        using SecurityTestSystem test = Encrypted(out _, out string marker);
        test.Monitoring.Start();
        test.Monitoring.Logger.Information("shipped {Order}", marker);
        test.Monitoring.Stop();
        string file = Assert.Single(Directory.GetFiles(test.LogsFolder, "maran-*.jsonl"));
        string otherKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        ToolRun decrypted = SecurityTestSystem.RunTool(new Hashtable { ["MARAN_ENCRYPTION_KEY"] = otherKey }, "logs", "decrypt", file);
        ToolRun keyless = SecurityTestSystem.RunTool(null, "logs", "decrypt", file);

        Assert.Equal(2, decrypted.ExitCode);
        Assert.Contains("line 1 cannot be decrypted with the key from environment variable MARAN_ENCRYPTION_KEY", decrypted.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, decrypted.Output, StringComparison.Ordinal);
        Assert.Equal(2, keyless.ExitCode);
        Assert.Contains("MARAN_ENCRYPTION_KEY", keyless.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no key", "there is no key: set MARAN_ENCRYPTION_KEY")]
    [InlineData("missing file", "cannot be read")]
    [InlineData("not base64", "is not base64")]
    [InlineData("16 bytes", "holds 16 bytes; an AES-256 key is 32 bytes")]
    public void Start_fails_naming_the_reason_when_the_encryption_key_is_missing_or_malformed(string problem, string reason)
    {
        using var test = new SecurityTestSystem();
        string keyFile = Path.Combine(test.Folder, "key.txt");
        test.Options.Production!.Security.EncryptLogs = true;
        test.Options.Production!.Security.KeyFile = problem == "no key" ? null : keyFile;
        if (problem == "not base64")
        {
            File.WriteAllText(keyFile, "not a key at all!");
        }
        else if (problem == "16 bytes")
        {
            File.WriteAllText(keyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));
        }

        var failure = Assert.Throws<MonitoringConfigurationException>(test.Monitoring.Start);

        Assert.Contains(reason, failure.Message, StringComparison.Ordinal);
        Assert.Contains(problem == "no key" ? "production.security.encrypt_logs" : "production.security.key_file", failure.Message, StringComparison.Ordinal);
        Assert.False(test.Monitoring.IsRunning);
    }
}
