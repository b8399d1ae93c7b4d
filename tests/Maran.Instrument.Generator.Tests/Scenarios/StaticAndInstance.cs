using Maran.Instrument;

namespace Scenarios.StaticAndInstance;

public class Calculator
{
    private int _calls;

    [MonitorOperation("add", "static_instance")]
    public static int Add(int a, int b) => a + b;

    [MonitorOperation("scale", "static_instance")]
    public int Scale(int value)
    {
        _calls++;
        return value * _calls;
    }
}

public static class Program
{
    public static int Run()
    {
        var calculator = new Calculator();
        int total = Calculator.Add(1, 2);
        total += calculator.Scale(10);
        total += calculator.Scale(10);
        return total;
    }
}
