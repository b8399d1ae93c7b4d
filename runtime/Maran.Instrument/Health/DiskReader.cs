namespace Maran.Instrument.Health;

/// <summary>
/// Reads the space of the file systems holding a set of paths. On Linux and macOS <see cref="DriveInfo"/> asks
/// <c>statvfs</c> about the path itself, so the figures are those of the file system the path lives on, as
/// <c>df PATH</c> shows them; a path that does not exist yet is read through its nearest existing parent.
/// </summary>
internal sealed class DiskReader(IReadOnlyList<string> paths)
{
    /// <summary>Adds <c>disk_*</c> readings for every path; paths that cannot be read are described in <paramref name="unavailable"/>.</summary>
    internal void Read(DateTimeOffset timestamp, List<HealthReading> readings, List<string> unavailable)
    {
        foreach (string path in paths)
        {
            string? existing = NearestExisting(path);
            if (existing is null)
            {
                unavailable.Add($"disk space of {path}: neither the path nor any parent of it exists");
                continue;
            }

            try
            {
                var drive = new DriveInfo(existing);
                long total = drive.TotalSize;
                long free = drive.TotalFreeSpace;
                long available = drive.AvailableFreeSpace;
                long used = total - free;
                if (total <= 0)
                {
                    unavailable.Add($"disk space of {path}: its file system ({drive.DriveFormat}) has no size");
                    continue;
                }

                readings.Add(new HealthReading(HealthMetrics.DiskUsedBytes, used, HealthMetrics.Bytes, timestamp, path));
                readings.Add(new HealthReading(HealthMetrics.DiskTotalBytes, total, HealthMetrics.Bytes, timestamp, path));
                readings.Add(new HealthReading(HealthMetrics.DiskAvailableBytes, available, HealthMetrics.Bytes, timestamp, path));

                // As df computes Use%: blocks reserved for root count neither as used nor as usable.
                readings.Add(new HealthReading(HealthMetrics.DiskPercent, 100.0 * used / (used + available), HealthMetrics.Percent, timestamp, path));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                unavailable.Add($"disk space of {path}: {ex.Message}");
            }
        }
    }

    private static string? NearestExisting(string path)
    {
        string? current = Path.GetFullPath(path);
        while (current is not null && !Directory.Exists(current) && !File.Exists(current))
        {
            current = Path.GetDirectoryName(current);
        }

        return current;
    }
}
