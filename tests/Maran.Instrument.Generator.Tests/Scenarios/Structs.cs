using Maran.Instrument;

namespace Scenarios.Structs;

public struct Counter
{
    public int Value;

    [MonitorOperation("increment", "structs")]
    public void Increment() => Value++;

    [MonitorOperation("peek", "structs")]
    public readonly int Peek() => Value;
}

public readonly struct Point(int x, int y)
{
    [MonitorOperation("length_squared", "structs")]
    public int LengthSquared() => (x * x) + (y * y);
}

public class Holder
{
    public Counter Field;
}

public static class Program
{
    private static Counter Make() => new() { Value = 40 };

    public static string Run()
    {
        var local = new Counter();
        local.Increment();
        local.Increment();

        var array = new Counter[1];
        array[0].Increment();

        var holder = new Holder();
        holder.Field.Increment();

        int fromTemporary = Make().Peek();
        int length = new Point(3, 4).LengthSquared();
        return $"{local.Value} {array[0].Value} {holder.Field.Value} {local.Peek()} {fromTemporary} {length}";
    }
}
