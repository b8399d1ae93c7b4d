namespace Maran.Instrument.Benchmarks.Workloads;

/// <summary>The methods of <see cref="UserShaped"/>, line for line, each a monitored operation.</summary>
public static class UserShapedMonitored
{
    /// <summary>A dependent floating-point recurrence.</summary>
    [MonitorOperation(Workload.UserFloat, Workload.Component)]
    public static double FloatLoop(double x)
    {
        double y = x;
        for (int i = 0; i < UserShaped.FloatRounds; i++)
        {
            y = (y * 1.000001) + (0.5 / (y + 1.0));
        }

        return y;
    }

    /// <summary>Rounds of xorshift.</summary>
    [MonitorOperation(Workload.UserInteger, Workload.Component)]
    public static ulong IntegerLoop(ulong state)
    {
        for (int i = 0; i < UserShaped.IntegerRounds; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
        }

        return state;
    }

    /// <summary>Sums one double per cache line over <paramref name="data"/>.</summary>
    [MonitorOperation(Workload.UserMemory, Workload.Component)]
    public static double MemoryPass(double[] data, int offset)
    {
        double sum = 0;
        int mask = data.Length - 1;
        for (int i = 0; i < UserShaped.MemoryVisits; i++)
        {
            sum += data[(offset + (i * 8 * 7)) & mask];
        }

        return sum;
    }

    /// <summary>Builds short strings and returns their total length.</summary>
    [MonitorOperation(Workload.UserAllocating, Workload.Component)]
    public static int Allocates(int seed)
    {
        int total = 0;
        for (int i = 0; i < UserShaped.Allocations; i++)
        {
            total += new string('x', (seed + i) & 31).Length + new int[4].Length;
        }

        return total;
    }

    /// <summary>Only calls the bare floating-point loop.</summary>
    [MonitorOperation(Workload.UserCallsAnother, Workload.Component)]
    public static double CallsAnother(double x) => UserShaped.FloatLoop(x);
}
