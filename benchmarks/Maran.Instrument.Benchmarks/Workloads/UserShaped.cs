namespace Maran.Instrument.Benchmarks.Workloads;

/// <summary>
/// Workloads shaped like the methods users write, about 2 µs each and with no <c>MethodImpl</c> attribute, so the JIT
/// inlines and lays them out as it would in an application: a dependent floating-point loop, an integer loop, a
/// memory-bound pass over an array larger than L1, a method that allocates, and a method that only calls another.
/// </summary>
public static class UserShaped
{
    /// <summary>Doubles in the memory-bound pass: 256 KiB, larger than a core's L1 and L2 share of it.</summary>
    public const int MemoryLength = 32 * 1024;

    /// <summary>Iterations of the floating-point loop (each depends on the last).</summary>
    public const int FloatRounds = 480;

    /// <summary>Iterations of the integer loop (xorshift rounds).</summary>
    public const int IntegerRounds = 1_450;

    /// <summary>Elements visited by the memory-bound pass (a stride of 8 doubles: one cache line each).</summary>
    public const int MemoryVisits = 2_048;

    /// <summary>Strings built by the allocating method.</summary>
    public const int Allocations = 40;

    /// <summary>An array for <see cref="MemoryPass"/>, filled.</summary>
    public static double[] NewMemory()
    {
        var data = new double[MemoryLength];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = i * 0.5;
        }

        return data;
    }

    /// <summary>A dependent floating-point recurrence.</summary>
    public static double FloatLoop(double x)
    {
        double y = x;
        for (int i = 0; i < FloatRounds; i++)
        {
            y = (y * 1.000001) + (0.5 / (y + 1.0));
        }

        return y;
    }

    /// <summary>Rounds of xorshift.</summary>
    public static ulong IntegerLoop(ulong state)
    {
        for (int i = 0; i < IntegerRounds; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
        }

        return state;
    }

    /// <summary>Sums one double per cache line over <paramref name="data"/>, starting at <paramref name="offset"/>.</summary>
    public static double MemoryPass(double[] data, int offset)
    {
        double sum = 0;
        int mask = data.Length - 1;
        for (int i = 0; i < MemoryVisits; i++)
        {
            sum += data[(offset + (i * 8 * 7)) & mask];
        }

        return sum;
    }

    /// <summary>Builds short strings and returns their total length.</summary>
    public static int Allocates(int seed)
    {
        int total = 0;
        for (int i = 0; i < Allocations; i++)
        {
            total += new string('x', (seed + i) & 31).Length + new int[4].Length;
        }

        return total;
    }
}
