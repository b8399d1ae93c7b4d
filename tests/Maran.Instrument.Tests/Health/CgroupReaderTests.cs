using Maran.Instrument.Health;

namespace Maran.Instrument.Tests.Health;

public class CgroupReaderTests
{
    private static CgroupReader Reader(string fixture) => new(FixtureRoot.Source(fixture));

    [Fact]
    public void A_v2_container_with_limits_gives_its_quota_limit_and_working_set()
    {
        CgroupReader reader = Reader("cgroup-v2-limited");
        CgroupReader.Reading reading = reader.Read()!.Value;

        Assert.Equal(2, reader.Version);
        Assert.Equal(1.5, reading.CpuLimitCores);
        Assert.Equal(10_000_000_000L, reading.CpuUsageNanoseconds);
        Assert.Equal(536870912L, reading.MemoryLimitBytes);
        Assert.Equal(402653184L - 67108864L, reading.MemoryUsedBytes);
    }

    [Fact]
    public void A_v2_container_without_limits_gives_usage_and_no_limit()
    {
        CgroupReader.Reading reading = Reader("cgroup-v2-unlimited").Read()!.Value;

        Assert.Null(reading.CpuLimitCores);
        Assert.Null(reading.MemoryLimitBytes);
        Assert.Equal(402653184L - 67108864L, reading.MemoryUsedBytes);
    }

    [Fact]
    public void A_v2_limit_on_an_enclosing_group_applies_to_the_process()
    {
        CgroupReader reader = Reader("cgroup-v2-nested");
        CgroupReader.Reading reading = reader.Read()!.Value;

        Assert.Equal("/sys/fs/cgroup/system.slice/agent.service", reader.MemoryDirectory);
        Assert.Equal(2147483648L, reading.MemoryLimitBytes);
        Assert.Equal(2.0, reading.CpuLimitCores);
        Assert.Equal(1073741824L - 268435456L, reading.MemoryUsedBytes);
    }

    [Fact]
    public void A_v1_container_whose_mounts_show_only_its_own_group_gives_its_limits()
    {
        CgroupReader reader = Reader("cgroup-v1-limited");
        CgroupReader.Reading reading = reader.Read()!.Value;

        Assert.Equal(1, reader.Version);
        Assert.Equal("/sys/fs/cgroup/memory", reader.MemoryDirectory);
        Assert.Equal(2.0, reading.CpuLimitCores);
        Assert.Equal(5_000_000_000L, reading.CpuUsageNanoseconds);
        Assert.Equal(1073741824L, reading.MemoryLimitBytes);
        Assert.Equal(805306368L - 268435456L, reading.MemoryUsedBytes);
    }

    [Fact]
    public void A_v1_hybrid_host_without_limits_reads_as_unlimited()
    {
        CgroupReader reader = Reader("cgroup-v1-unlimited");
        CgroupReader.Reading reading = reader.Read()!.Value;

        Assert.Equal(1, reader.Version);
        Assert.Equal("/sys/fs/cgroup/memory/process_api/7b130aec", reader.MemoryDirectory);
        Assert.Null(reading.CpuLimitCores);
        Assert.Null(reading.MemoryLimitBytes);
        Assert.Equal(123456789L, reading.CpuUsageNanoseconds);
        Assert.Equal(183877632L - 16777216L, reading.MemoryUsedBytes);
    }

    [Fact]
    public void A_machine_without_control_groups_has_no_reading()
    {
        CgroupReader reader = Reader("no-cgroup");

        Assert.Equal(0, reader.Version);
        Assert.Null(reader.Read());
    }
}
