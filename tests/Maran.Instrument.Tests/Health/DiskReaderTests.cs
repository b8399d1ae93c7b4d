using System.Diagnostics;
using System.Globalization;
using Maran.Instrument.Health;

namespace Maran.Instrument.Tests.Health;

public class DiskReaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static (List<HealthReading> Readings, List<string> Unavailable) Read(params string[] paths)
    {
        var readings = new List<HealthReading>();
        var unavailable = new List<string>();
        new DiskReader(paths).Read(Now, readings, unavailable);
        return (readings, unavailable);
    }

    private static double Value(List<HealthReading> readings, string key, string path) =>
        readings.Single(r => r.Key == key && r.Subject == path).Value;

    // df -B1 --output=size,used,avail PATH: the file system's size, used and available bytes.
    private static (long Size, long Used, long Available) Df(string path)
    {
        var start = new ProcessStartInfo("df", ["-B1", "--output=size,used,avail", path]) { RedirectStandardOutput = true };
        using Process df = Process.Start(start)!;
        string[] lines = df.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        df.WaitForExit();
        long[] values = [.. lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => long.Parse(v, CultureInfo.InvariantCulture))];
        return (values[0], values[1], values[2]);
    }

    [Theory]
    [InlineData("base")]
    [InlineData("/dev/shm")]
    public void Disk_figures_match_df_for_the_file_system_of_the_path(string which)
    {
        string path = which == "base" ? AppContext.BaseDirectory : which;
        (long size, long used, long available) = Df(path);
        (List<HealthReading> readings, _) = Read(path);

        // Other processes write to the same disk between the two reads: allow them 0.5% of it.
        double slack = size * 0.005;
        Assert.Equal(size, Value(readings, HealthMetrics.DiskTotalBytes, path));
        Assert.InRange(Value(readings, HealthMetrics.DiskUsedBytes, path), used - slack, used + slack);
        Assert.InRange(Value(readings, HealthMetrics.DiskAvailableBytes, path), available - slack, available + slack);
        Assert.InRange(Value(readings, HealthMetrics.DiskPercent, path), (100.0 * used / (used + available)) - 0.5, (100.0 * used / (used + available)) + 0.5);
    }

    [Fact]
    public void A_path_that_does_not_exist_yet_is_read_through_its_nearest_parent()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "not-created-yet", "data");
        (long size, _, _) = Df(AppContext.BaseDirectory);

        (List<HealthReading> readings, List<string> unavailable) = Read(path);

        Assert.Empty(unavailable);
        Assert.Equal(size, Value(readings, HealthMetrics.DiskTotalBytes, path));
    }

    [Fact]
    public void A_file_system_without_size_is_reported_unavailable_in_words()
    {
        (List<HealthReading> readings, List<string> unavailable) = Read("/proc");

        Assert.Empty(readings);
        Assert.Contains("/proc", Assert.Single(unavailable), StringComparison.Ordinal);
    }
}
