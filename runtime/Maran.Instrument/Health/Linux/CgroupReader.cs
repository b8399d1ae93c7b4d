using System.Globalization;

namespace Maran.Instrument.Health;

/// <summary>
/// Finds this process's control groups (cgroup v1 or v2) from <c>/proc/self/cgroup</c> and
/// <c>/proc/self/mountinfo</c> under a root directory, and reads their CPU quota, CPU time, memory limit and
/// memory use. A limit set on an enclosing group counts too: the tightest one along the path wins.
/// </summary>
internal sealed class CgroupReader
{
    /// <summary>Limits at or above this are "no limit" (cgroup v1 writes a huge page-aligned number).</summary>
    private const long Unlimited = 1L << 62;

    private readonly string _root;
    private readonly Group? _memory;
    private readonly Group? _cpu;
    private readonly Group? _cpuAccounting;

    internal CgroupReader(string root)
    {
        _root = root;
        List<Mount> mounts = ReadMounts(root);
        Dictionary<string, string> paths = ReadPaths(root);
        _memory = Locate("memory", mounts, paths);
        _cpu = Locate("cpu", mounts, paths);
        _cpuAccounting = _cpu is { Version: 2 } ? _cpu : Locate("cpuacct", mounts, paths);
    }

    /// <summary>What one read found; null members are readings this group does not give.</summary>
    internal readonly record struct Reading(double? CpuLimitCores, long? CpuUsageNanoseconds, long? MemoryLimitBytes, long? MemoryUsedBytes);

    /// <summary>Which cgroup version holds this process's memory and CPU controllers: 1, 2, or 0 when none was found.</summary>
    internal int Version => _memory?.Version ?? _cpu?.Version ?? 0;

    /// <summary>The memory group's directory, for messages; null without one.</summary>
    internal string? MemoryDirectory => _memory?.Directory;

    /// <summary>Reads the current figures; null when this process is in no cgroup this reader understands.</summary>
    internal Reading? Read()
    {
        if (_memory is null && _cpu is null)
        {
            return null;
        }

        return new Reading(CpuLimit(), CpuUsage(), MemoryLimit(), MemoryUsed());
    }

    private double? CpuLimit()
    {
        if (_cpu is not { } group)
        {
            return null;
        }

        double? tightest = null;
        foreach (string directory in group.Ancestry())
        {
            double? cores = null;
            if (group.Version == 2)
            {
                string[]? parts = ReadFile(directory, "cpu.max")?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts is [var quota, var period] && quota != "max" && TryLong(quota, out long q) && TryLong(period, out long p) && p > 0)
                {
                    cores = (double)q / p;
                }
            }
            else if (TryLong(ReadFile(directory, "cpu.cfs_quota_us"), out long q) && q > 0
                     && TryLong(ReadFile(directory, "cpu.cfs_period_us"), out long p) && p > 0)
            {
                cores = (double)q / p;
            }

            if (cores is { } c && (tightest is null || c < tightest))
            {
                tightest = c;
            }
        }

        return tightest;
    }

    private long? CpuUsage()
    {
        if (_cpuAccounting is not { } group)
        {
            return null;
        }

        if (group.Version == 2)
        {
            return StatValue(group.Directory, "cpu.stat", "usage_usec") is { } micros ? micros * 1000 : null;
        }

        return TryLong(ReadFile(group.Directory, "cpuacct.usage"), out long nanos) ? nanos : null;
    }

    private long? MemoryLimit()
    {
        if (_memory is not { } group)
        {
            return null;
        }

        string file = group.Version == 2 ? "memory.max" : "memory.limit_in_bytes";
        long? tightest = null;
        foreach (string directory in group.Ancestry())
        {
            if (TryLong(ReadFile(directory, file), out long limit) && limit > 0 && limit < Unlimited && (tightest is null || limit < tightest))
            {
                tightest = limit;
            }
        }

        if (group.Version == 1 && StatValue(group.Directory, "memory.stat", "hierarchical_memory_limit") is { } hierarchical
            && hierarchical < Unlimited && (tightest is null || hierarchical < tightest))
        {
            tightest = hierarchical;
        }

        return tightest;
    }

    // The working set, as container tools count it: usage less the file cache the kernel can drop at once.
    private long? MemoryUsed()
    {
        if (_memory is not { } group)
        {
            return null;
        }

        string usageFile = group.Version == 2 ? "memory.current" : "memory.usage_in_bytes";
        if (!TryLong(ReadFile(group.Directory, usageFile), out long usage))
        {
            return null;
        }

        long inactive = (group.Version == 2
            ? StatValue(group.Directory, "memory.stat", "inactive_file")
            : StatValue(group.Directory, "memory.stat", "total_inactive_file") ?? StatValue(group.Directory, "memory.stat", "inactive_file")) ?? 0;
        return Math.Max(0, usage - inactive);
    }

    private long? StatValue(string directory, string file, string key)
    {
        string? text = ReadFile(directory, file);
        if (text is null)
        {
            return null;
        }

        foreach (string line in text.Split('\n'))
        {
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && line.AsSpan(0, space).SequenceEqual(key) && TryLong(line[(space + 1)..], out long value))
            {
                return value;
            }
        }

        return null;
    }

    private string? ReadFile(string directory, string file)
    {
        try
        {
            return File.ReadAllText(Path.Combine(_root, directory.TrimStart('/'), file)).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private Group? Locate(string controller, List<Mount> mounts, Dictionary<string, string> paths)
    {
        Mount? v1 = mounts.FirstOrDefault(m => m.Type == "cgroup" && m.Options.Split(',').Contains(controller, StringComparer.Ordinal));
        if (v1 is not null && paths.TryGetValue(controller, out string? v1Path))
        {
            return new Group(1, Map(v1, v1Path), v1.Point);
        }

        Mount? v2 = mounts.FirstOrDefault(m => m.Type == "cgroup2");
        if (v2 is null || !paths.TryGetValue(string.Empty, out string? v2Path))
        {
            return null;
        }

        // In a hybrid layout the v2 hierarchy exists but holds no controller; then it has nothing to read.
        string? controllers = ReadFile(v2.Point, "cgroup.controllers");
        string wanted = controller == "cpuacct" ? "cpu" : controller;
        return controllers is not null && controllers.Split(' ').Contains(wanted, StringComparer.Ordinal)
            ? new Group(2, Map(v2, v2Path), v2.Point)
            : null;
    }

    // A group's path is relative to the hierarchy's root; the mount may show only part of it (a container's own group).
    private string Map(Mount mount, string path)
    {
        string relative = mount.Root == "/" ? path
            : path.StartsWith(mount.Root, StringComparison.Ordinal) ? path[mount.Root.Length..]
            : string.Empty;
        string directory = mount.Point.TrimEnd('/') + "/" + relative.Trim('/');
        return Directory.Exists(Path.Combine(_root, directory.TrimStart('/'))) ? directory.TrimEnd('/') : mount.Point;
    }

    private static List<Mount> ReadMounts(string root)
    {
        var mounts = new List<Mount>();
        foreach (string line in ReadLines(root, "proc/self/mountinfo"))
        {
            // id parent major:minor root mount-point options [optional...] - type source super-options
            string[] fields = line.Split(' ');
            int separator = Array.IndexOf(fields, "-");
            if (fields.Length < 5 || separator < 0 || separator + 3 >= fields.Length)
            {
                continue;
            }

            string type = fields[separator + 1];
            if (type is "cgroup" or "cgroup2")
            {
                mounts.Add(new Mount(Unescape(fields[3]), Unescape(fields[4]), type, fields[separator + 3]));
            }
        }

        return mounts;
    }

    // hierarchy-id:controllers:path; the v2 line is 0::path (stored under the empty controller).
    private static Dictionary<string, string> ReadPaths(string root)
    {
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in ReadLines(root, "proc/self/cgroup"))
        {
            string[] parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }

            if (parts[0] == "0" && parts[1].Length == 0)
            {
                paths[string.Empty] = parts[2];
                continue;
            }

            foreach (string controller in parts[1].Split(','))
            {
                paths[controller] = parts[2];
            }
        }

        return paths;
    }

    private static string[] ReadLines(string root, string relative)
    {
        try
        {
            return File.ReadAllLines(Path.Combine(root, relative));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string Unescape(string field) => field.Replace("\\040", " ", StringComparison.Ordinal);

    private static bool TryLong(string? text, out long value) =>
        long.TryParse(text?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    private sealed record Mount(string Root, string Point, string Type, string Options);

    private sealed record Group(int Version, string Directory, string MountPoint)
    {
        /// <summary>The group's directory and every enclosing one up to the hierarchy's mount point.</summary>
        public IEnumerable<string> Ancestry()
        {
            string current = Directory;
            while (true)
            {
                yield return current;
                if (current.Length <= MountPoint.Length || !current.StartsWith(MountPoint, StringComparison.Ordinal))
                {
                    yield break;
                }

                int slash = current.LastIndexOf('/');
                current = slash <= 0 ? MountPoint : current[..slash];
                if (current.Length < MountPoint.Length)
                {
                    yield break;
                }
            }
        }
    }
}
