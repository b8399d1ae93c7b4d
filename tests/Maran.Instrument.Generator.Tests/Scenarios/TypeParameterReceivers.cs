using Maran.Instrument;

namespace Scenarios.TypeParameterReceivers;

public interface ICounter
{
    [MonitorOperation("bump", "type_parameters")]
    int Bump();
}

public struct StructCounter : ICounter
{
    public int Value;

    public int Bump() => ++Value;
}

public sealed class ClassCounter : ICounter
{
    public int Value;

    public int Bump() => ++Value;
}

public static class Program
{
    // A struct T would reach an interceptor boxed, so the bump would land on a copy: these calls are left alone.
    private static int TwiceOnAnything<T>(ref T counter) where T : ICounter
    {
        counter.Bump();
        return counter.Bump();
    }

    // A class T is a reference already: intercepting keeps the same object.
    private static int TwiceOnClasses<T>(T counter) where T : class, ICounter
    {
        counter.Bump();
        return counter.Bump();
    }

    public static string Run()
    {
        var value = new StructCounter { Value = 10 };
        int fromStruct = TwiceOnAnything(ref value);
        var reference = new ClassCounter { Value = 20 };
        int fromClass = TwiceOnClasses(reference);
        return $"{fromStruct} {value.Value} {fromClass} {reference.Value}";
    }
}
