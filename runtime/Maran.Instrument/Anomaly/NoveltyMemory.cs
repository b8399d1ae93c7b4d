namespace Maran.Instrument.Anomaly;

/// <summary>
/// The last <see cref="Capacity"/> surprising values of a series, to tell a value it already jumped to (a recurring
/// spike, the level after a shift) from a new one.
/// </summary>
internal sealed class NoveltyMemory
{
    /// <summary>Surprising values remembered.</summary>
    public const int Capacity = 128;

    private readonly double[] _values = new double[Capacity];
    private int _next;
    private int _count;

    /// <summary>How many remembered values lie within <paramref name="tolerance"/> of <paramref name="value"/>.</summary>
    public int CountNear(double value, double tolerance)
    {
        int near = 0;
        for (int i = 0; i < _count; i++)
        {
            if (Math.Abs(_values[i] - value) <= tolerance)
            {
                near++;
            }
        }

        return near;
    }

    /// <summary>Remembers <paramref name="value"/>, forgetting the oldest when full.</summary>
    public void Add(double value)
    {
        _values[_next] = value;
        _next = (_next + 1) % Capacity;
        _count = Math.Min(_count + 1, Capacity);
    }
}
