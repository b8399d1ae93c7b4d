using System.Runtime.CompilerServices;
using Maran.Instrument.Generated;

namespace Maran.Instrument.Tests.Errors;

/// <summary>The monitored methods behind <see cref="GeneratedInterceptors"/>: each calls the next through its interceptor, and the store fails.</summary>
internal static class TracedAgent
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Answer(int id) => GeneratedInterceptors.Plan1(id) + 1;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Plan(int id) => GeneratedInterceptors.Fetch2(id) + 1;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Fetch(int id) => TracedStore.Load(id);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static double Score(int id) => TracedStore.Load(id) * 0.5;

    public static class TracedStore
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static int Load(int id) => throw new KeyNotFoundException($"record {id} is not in the store");
    }
}
