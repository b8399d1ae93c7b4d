using System.Runtime.CompilerServices;

namespace Maran.Instrument.Benchmarks.Workloads;

/// <summary>
/// CPU-bound work of a fixed size: rounds of xorshift, each depending on the last, so the JIT can neither fold
/// nor vectorize it. The round counts give about 250 ns, 2 µs and 100 µs on a 2024 server core.
/// </summary>
public static class Spin
{
    /// <summary>Rounds for about 250 ns.</summary>
    public const int Rounds250ns = 150;

    /// <summary>Rounds for about 2 µs.</summary>
    public const int Rounds2us = 1_200;

    /// <summary>Rounds for about 100 µs.</summary>
    public const int Rounds100us = 60_000;

    /// <summary>Runs <paramref name="rounds"/> rounds starting from <paramref name="state"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong Run(ulong state, int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
        }

        return state;
    }
}
