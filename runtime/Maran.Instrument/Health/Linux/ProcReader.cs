using System.Globalization;

namespace Maran.Instrument.Health;

/// <summary>
/// Reads <c>/proc/stat</c>, <c>/proc/meminfo</c> and <c>/proc/self/stat</c> under a root directory: <c>/</c> on
/// a live system, a folder of fixture files in tests. Each reader returns null when its file is missing or
/// unreadable, so a platform without it simply lacks the reading.
/// </summary>
internal sealed class ProcReader(string root)
{
    /// <summary>The machine's CPU time so far, in clock ticks, and the number of CPUs listed.</summary>
    internal readonly record struct CpuTimes(long Busy, long Total, int Cpus);

    /// <summary>The machine's memory, in bytes.</summary>
    internal readonly record struct MemoryInfo(long Total, long Available);

    /// <summary>This process's CPU time so far, in clock ticks, and its resident memory in pages.</summary>
    internal readonly record struct ProcessStat(long UserTicks, long SystemTicks, long ResidentPages);

    /// <summary>Parses the aggregate <c>cpu</c> line of <c>/proc/stat</c>: busy is everything but idle and iowait.</summary>
    internal CpuTimes? ReadCpuTimes()
    {
        string? text = ReadFile("proc/stat");
        if (text is null)
        {
            return null;
        }

        CpuTimes? result = null;
        int cpus = 0;
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith("cpu ", StringComparison.Ordinal))
            {
                // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
                long[] fields = [.. line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(ParseLong)];
                if (fields.Length < 4)
                {
                    return null;
                }

                long total = fields.Sum();
                long idle = fields[3] + (fields.Length > 4 ? fields[4] : 0);
                result = new CpuTimes(total - idle, total, 0);
            }
            else if (line.StartsWith("cpu", StringComparison.Ordinal) && line.Length > 3 && char.IsAsciiDigit(line[3]))
            {
                cpus++;
            }
        }

        return result is { } times ? times with { Cpus = cpus } : null;
    }

    /// <summary>Parses <c>MemTotal</c> and <c>MemAvailable</c> (or, on old kernels, free + buffers + cached).</summary>
    internal MemoryInfo? ReadMemoryInfo()
    {
        string? text = ReadFile("proc/meminfo");
        if (text is null)
        {
            return null;
        }

        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            string[] parts = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            {
                values[line[..colon]] = parts.Length > 1 && parts[1] == "kB" ? value * 1024 : value;
            }
        }

        if (!values.TryGetValue("MemTotal", out long total) || total <= 0)
        {
            return null;
        }

        long available = values.TryGetValue("MemAvailable", out long a)
            ? a
            : values.GetValueOrDefault("MemFree") + values.GetValueOrDefault("Buffers") + values.GetValueOrDefault("Cached");
        return new MemoryInfo(total, Math.Min(available, total));
    }

    /// <summary>Parses <c>utime</c>, <c>stime</c> and <c>rss</c> of <c>/proc/self/stat</c> (the command name may hold spaces and parentheses).</summary>
    internal ProcessStat? ReadProcessStat()
    {
        string? text = ReadFile("proc/self/stat");
        int close = text?.LastIndexOf(')') ?? -1;
        if (text is null || close < 0)
        {
            return null;
        }

        // Fields after the name start at field 3 (state): utime is field 14, stime 15, rss 24.
        string[] fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 22)
        {
            return null;
        }

        return new ProcessStat(ParseLong(fields[11]), ParseLong(fields[12]), ParseLong(fields[21]));
    }

    private string? ReadFile(string relative)
    {
        try
        {
            return File.ReadAllText(Path.Combine(root, relative));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long ParseLong(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value : 0;
}
