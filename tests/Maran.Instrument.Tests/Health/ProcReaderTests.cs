using Maran.Instrument.Health;

namespace Maran.Instrument.Tests.Health;

public class ProcReaderTests
{
    private static ProcReader Reader(string fixture) => new(FixtureRoot.Source(fixture));

    [Fact]
    public void The_cpu_line_of_proc_stat_counts_everything_but_idle_and_iowait_as_busy()
    {
        ProcReader.CpuTimes times = Reader("no-cgroup").ReadCpuTimes()!.Value;

        Assert.Equal((1500L, 10000L), (times.Busy, times.Total));
    }

    [Fact]
    public void Proc_stat_lists_the_logical_cpus()
    {
        Assert.Equal(4, Reader("no-cgroup").ReadCpuTimes()!.Value.Cpus);
    }

    [Fact]
    public void Meminfo_gives_total_and_available_in_bytes()
    {
        ProcReader.MemoryInfo memory = Reader("no-cgroup").ReadMemoryInfo()!.Value;

        Assert.Equal((16384000L * 1024, 12288000L * 1024), (memory.Total, memory.Available));
    }

    [Fact]
    public void Self_stat_is_parsed_past_a_command_name_with_spaces_and_parentheses()
    {
        ProcReader.ProcessStat stat = Reader("no-cgroup").ReadProcessStat()!.Value;

        Assert.Equal((300L, 100L, 25600L), (stat.UserTicks, stat.SystemTicks, stat.ResidentPages));
    }

    [Fact]
    public void A_missing_proc_gives_no_reading_rather_than_an_error()
    {
        var reader = new ProcReader(Path.Combine(FixtureRoot.Source("no-cgroup"), "missing"));

        Assert.Null(reader.ReadCpuTimes());
        Assert.Null(reader.ReadMemoryInfo());
        Assert.Null(reader.ReadProcessStat());
    }

    [Fact]
    public void The_live_proc_of_this_machine_is_readable()
    {
        var reader = new ProcReader("/");

        Assert.True(reader.ReadCpuTimes()!.Value.Total > 0);
        Assert.True(reader.ReadMemoryInfo()!.Value.Total > 0);
        Assert.True(reader.ReadProcessStat()!.Value.ResidentPages > 0);
    }
}
