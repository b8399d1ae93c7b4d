using System;
using Maran.Instrument;

namespace Scenarios.Parameters;

public static class Calls
{
    [MonitorOperation("swap", "parameters")]
    public static void Swap(ref int a, ref int b) => (a, b) = (b, a);

    [MonitorOperation("try_parse", "parameters")]
    public static bool TryParse(string text, out int value) => int.TryParse(text, out value);

    [MonitorOperation("distance", "parameters")]
    public static double Distance(in (double X, double Y) point) => Math.Sqrt((point.X * point.X) + (point.Y * point.Y));

    [MonitorOperation("sum", "parameters")]
    public static int Sum(params int[] values)
    {
        int total = 0;
        foreach (int value in values)
        {
            total += value;
        }

        return total;
    }

    [MonitorOperation("format", "parameters")]
    public static string Format(string name, int times = 1, string separator = ",") =>
        string.Join(separator, System.Linq.Enumerable.Repeat(name, times));

    [MonitorOperation("count_vowels", "parameters")]
    public static int CountVowels(ReadOnlySpan<char> text)
    {
        int count = 0;
        foreach (char c in text)
        {
            if ("aeiou".Contains(c))
            {
                count++;
            }
        }

        return count;
    }

    [MonitorOperation("slot", "parameters")]
    public static ref int Slot(int[] values, int index) => ref values[index];
}

public static class Program
{
    public static string Run()
    {
        int a = 1, b = 2;
        Calls.Swap(ref a, ref b);
        bool parsed = Calls.TryParse("42", out int value);
        var point = (3.0, 4.0);
        double distance = Calls.Distance(in point);
        int sum = Calls.Sum(1, 2, 3) + Calls.Sum() + Calls.Sum(new[] { 10 });
        string formatted = Calls.Format("x") + "|" + Calls.Format(separator: "-", times: 3, name: "y");
        int vowels = Calls.CountVowels("monitoring".AsSpan());
        var values = new[] { 0, 0 };
        Calls.Slot(values, 1) = 7;
        return $"{a}{b} {parsed}:{value} {distance} {sum} {formatted} {vowels} {values[1]}";
    }
}
