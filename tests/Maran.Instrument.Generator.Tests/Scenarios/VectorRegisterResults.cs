using System;
using System.Numerics;
using Maran.Instrument;

namespace Scenarios.VectorRegisterResults;

public struct Accumulator
{
    public double Total;

    [MonitorOperation("accumulate", "vector_results")]
    public double Add(double value) => Total += value;
}

public readonly struct Scale(float factor)
{
    [MonitorOperation("scale", "vector_results")]
    public float Apply(float value) => value * factor;
}

public class Meter
{
    [MonitorOperation("mean", "vector_results")]
    public double Mean(params double[] values)
    {
        double sum = 0;
        foreach (double value in values)
        {
            sum += value;
        }

        return sum / values.Length;
    }

    [MonitorOperation("convert", "vector_results")]
    public T Convert<T>(int value)
        where T : INumber<T> => T.CreateChecked(value);

    [MonitorOperation("sum2", "vector_results")]
    public static Vector2 Sum(Vector2 a, Vector2 b) => a + b;

    [MonitorOperation("root", "vector_results")]
    public static double Root(double value, out bool exact)
    {
        double root = Math.Sqrt(value);
        exact = root == Math.Floor(root);
        return value < 0 ? throw new ArgumentOutOfRangeException(nameof(value)) : root;
    }
}

public static class Program
{
    public static string Run()
    {
        var accumulator = new Accumulator();
        accumulator.Add(1.5);
        accumulator.Add(2.5);
        var scale = new Scale(2f);
        var meter = new Meter();
        double root = Meter.Root(16, out bool exact);
        bool threw = false;
        try
        {
            Meter.Root(-1, out _);
        }
        catch (ArgumentOutOfRangeException)
        {
            threw = true;
        }

        Vector2 sum = Meter.Sum(new Vector2(1, 2), new Vector2(3, 4));
        return string.Join(" ", accumulator.Total, scale.Apply(3f), meter.Mean(1, 2, 3), meter.Convert<double>(7), sum.X + sum.Y, root, exact, threw);
    }
}
