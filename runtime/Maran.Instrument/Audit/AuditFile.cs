using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Maran.Instrument.Audit;

/// <summary>
/// Writes audit records as hash-chained JSON lines into <c>audit-YYYYMMDD.jsonl</c>, a new file each UTC day whose first
/// line links to the last line of the one before. A trail already in the folder is continued, not restarted. Written
/// by one thread (the audit loop).
/// </summary>
internal sealed class AuditFile : IDisposable
{
    // The last line of a file is found in its tail; audit lines are far shorter.
    private const int TailBytes = 64 * 1024;

    // Lines are about 250 bytes: a 64 KiB buffer makes one write system call per few hundred records, not per 16.
    private const int BufferBytes = 64 * 1024;

    private readonly string _directory;
    private readonly TimeProvider _time;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json;
    private FileStream? _stream;
    private DateTime _day;
    private string _lastHash = AuditChain.Genesis;
    private long _sequence;

    internal AuditFile(string directory, TimeProvider time)
    {
        _directory = Path.GetFullPath(directory);
        _time = time;
        _json = new Utf8JsonWriter(_buffer);
    }

    /// <summary>Records written since this file was opened.</summary>
    internal long Written { get; private set; }

    /// <summary>Finds where the trail in the folder ends, so the next record links to it; creates the folder.</summary>
    internal void Open()
    {
        Directory.CreateDirectory(_directory);
        string? latest = Directory.EnumerateFiles(_directory, AuditChain.FilePrefix + "*" + AuditChain.FileExtension)
            .Where(static f => IsAuditFileName(Path.GetFileName(f)))
            .Order(StringComparer.Ordinal)
            .LastOrDefault();
        if (latest is not null && LastLine(latest) is { } last)
        {
            _lastHash = AuditChain.Hash(last);
            _sequence = SequenceOf(last) + 1;
        }
    }

    /// <summary>Appends one record, first moving to the file of the current UTC day.</summary>
    internal void Write(in AuditRecord record)
    {
        DateTime day = _time.GetUtcNow().UtcDateTime.Date;
        if (_stream is null || day != _day)
        {
            _stream?.Dispose();
            _day = day;
            _stream = new FileStream(Path.Combine(_directory, AuditChain.FileName(day)), FileMode.Append, FileAccess.Write, FileShare.Read, BufferBytes);
        }

        _buffer.Clear();
        _json.Reset(_buffer);
        WriteJson(_json, record, _sequence, _lastHash);
        _json.Flush();
        ReadOnlySpan<byte> line = _buffer.WrittenSpan;
        _stream.Write(line);
        _stream.WriteByte((byte)'\n');
        _lastHash = AuditChain.Hash(line);
        _sequence++;
        Written++;
    }

    /// <summary>Hands what was written to the operating system, and to the disk itself when <paramref name="toDisk"/>.</summary>
    internal void Flush(bool toDisk) => _stream?.Flush(flushToDisk: toDisk);

    public void Dispose()
    {
        _stream?.Flush(flushToDisk: true);
        _stream?.Dispose();
        _stream = null;
        _json.Dispose();
    }

    private static bool IsAuditFileName(string name) =>
        name.Length == AuditChain.FilePrefix.Length + 8 + AuditChain.FileExtension.Length
        && DateTime.TryParseExact(name.AsSpan(AuditChain.FilePrefix.Length, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static byte[]? LastLine(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        long start = Math.Max(0, stream.Length - TailBytes);
        stream.Seek(start, SeekOrigin.Begin);
        byte[] tail = new byte[stream.Length - start];
        stream.ReadExactly(tail);
        int end = tail.Length;
        while (end > 0 && tail[end - 1] == (byte)'\n')
        {
            end--;
        }

        if (end == 0)
        {
            return null;
        }

        int begin = Array.LastIndexOf(tail, (byte)'\n', end - 1) + 1;
        return tail[begin..end];
    }

    // A last line that is not a record (a torn write) keeps its place in the chain; the verifier reports it.
    private static long SequenceOf(byte[] line)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("seq", out JsonElement seq) && seq.TryGetInt64(out long value) ? value : -1;
        }
        catch (JsonException)
        {
            return -1;
        }
    }

    private static void WriteJson(Utf8JsonWriter json, in AuditRecord r, long sequence, string previous)
    {
        json.WriteStartObject();
        json.WriteNumber("seq", sequence);
        json.WriteString("time", r.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        json.WriteString("type", TypeName(r.Type));
        WriteIfSet(json, "kind", r.Kind);
        WriteIfSet(json, "operation", r.Operation);
        WriteIfSet(json, "component", r.Component);
        WriteIfSet(json, "outcome", r.Outcome);
        WriteIfSet(json, "error_type", r.ErrorType);
        if (r.DurationMs is { } duration)
        {
            json.WriteNumber("duration_ms", Math.Round(duration, 4));
        }

        WriteIfSet(json, "trace_id", r.TraceId);
        WriteIfSet(json, "model", r.Model);
        if (r.Type == AuditRecordType.Model)
        {
            json.WriteNumber("input_tokens", r.InputTokens);
            json.WriteNumber("output_tokens", r.OutputTokens);
            if (r.CostUsd is { } cost)
            {
                json.WriteNumber("cost_usd", cost);
            }
            else
            {
                json.WriteNull("cost_usd");
            }
        }

        WriteIfSet(json, "client", r.Client);
        WriteIfSet(json, "token", r.Token);
        WriteIfSet(json, "route", r.Route);
        WriteIfSet(json, "change", r.Change);
        WriteIfSet(json, "reason", r.Reason);
        if (r.Type == AuditRecordType.Gap)
        {
            json.WriteNumber("dropped", r.Count);
        }
        else if (r.Type == AuditRecordType.Stop)
        {
            json.WriteNumber("records", r.Count);
        }

        if (r.Type == AuditRecordType.Start)
        {
            WriteIfSet(json, "config_sha256", r.ConfigurationDigest);
            json.WriteStartArray("config_sources");
            foreach (string source in r.Sources ?? [])
            {
                json.WriteStringValue(source);
            }

            json.WriteEndArray();
            json.WriteNumber("pid", Environment.ProcessId);
            json.WriteString("host", Environment.MachineName);
        }

        json.WriteString("prev", previous);
        json.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static string TypeName(AuditRecordType type) => type switch
    {
        AuditRecordType.Start => "start",
        AuditRecordType.Stop => "stop",
        AuditRecordType.Call => "call",
        AuditRecordType.Model => "model",
        AuditRecordType.AuthenticationFailure => "auth_failure",
        AuditRecordType.DashboardWrite => "dashboard_write",
        _ => "gap",
    };
}
