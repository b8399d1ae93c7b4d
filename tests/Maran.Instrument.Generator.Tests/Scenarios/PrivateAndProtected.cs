using System.Collections.Generic;
using Maran.Instrument;

namespace Scenarios.PrivateAndProtected;

public class Pipeline
{
    private int _runs;

    [MonitorOperation("step", "private_protected")]
    private int Step(int value)
    {
        _runs++;
        return value + _runs;
    }

    [MonitorOperation("static_step", "private_protected")]
    private static int StaticStep(int value) => value * 2;

    [MonitorOperation("wrap", "private_protected")]
    private List<T> Wrap<T>(T item) => [item];

    [MonitorOperation("template", "private_protected")]
    protected virtual string Template(string name) => "base " + name;

    public string Run() => $"{Step(1)} {Step(1)} {StaticStep(5)} {Wrap("w").Count} {Template("t")}";
}

public class CustomPipeline : Pipeline
{
    protected override string Template(string name) => "custom " + name;

    public string RunDerived() => Template("d");
}

public struct Cursor
{
    private int _position;

    [MonitorOperation("advance", "private_protected")]
    private void Advance() => _position++;

    public int Move()
    {
        Advance();
        Advance();
        return _position;
    }
}

public static class Helpers
{
    [MonitorOperation("helper", "private_protected")]
    private static int Helper(int x) => x + 100;

    public static int Use() => Helper(1);
}

public static class Program
{
    public static string Run() =>
        $"{new Pipeline().Run()} | {new CustomPipeline().Run()} | {new CustomPipeline().RunDerived()} | {new Cursor().Move()} | {Helpers.Use()}";
}
