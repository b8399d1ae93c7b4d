using System.Runtime.CompilerServices;

namespace Maran.Instrument.Benchmarks.Workloads;

/// <summary>
/// CPU-bound work of a fixed size: rounds of xorshift, each depending on the last, so the JIT can neither fold
/// nor vectorize it. A round takes about 1.4 ns on the machine the counts were set on (an AMD EPYC Zen 5 core,
/// virtualized): about 250 ns, 2 µs and 100 µs. Elsewhere the times differ a little; the work stays the same.
/// </summary>
public static class Spin
{
    /// <summary>Rounds for about 250 ns.</summary>
    public const int Rounds250ns = 180;

    /// <summary>Rounds for about 2 µs.</summary>
    public const int Rounds2us = 1_450;

    /// <summary>Rounds for about 100 µs.</summary>
    public const int Rounds100us = 70_000;

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
