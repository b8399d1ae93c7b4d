using System.Globalization;

namespace Maran.Instrument.Benchmarks.Nab;

/// <summary>A NAB CSV file (<c>timestamp,value[,anomaly_score,...]</c>) read whole: timestamps as written and parsed, and one numeric column.</summary>
/// <param name="TimestampTexts">Each row's timestamp exactly as written.</param>
/// <param name="Timestamps">Each row's timestamp, parsed (UTC).</param>
/// <param name="Values">Each row's value in the chosen column; <see cref="double.NaN"/> where the cell is empty or not a number.</param>
public sealed record NabCsv(IReadOnlyList<string> TimestampTexts, DateTime[] Timestamps, double[] Values)
{
    /// <summary>Reads <paramref name="path"/>, taking the numbers of the column named <paramref name="column"/>.</summary>
    /// <exception cref="InvalidDataException">The file has no <c>timestamp</c> column or no column named <paramref name="column"/>.</exception>
    public static NabCsv Read(string path, string column)
    {
        using var reader = new StreamReader(path);
        string[] header = (reader.ReadLine() ?? string.Empty).Split(',');
        int timeIndex = Array.IndexOf(header, "timestamp");
        int valueIndex = Array.IndexOf(header, column);
        if (timeIndex < 0 || valueIndex < 0)
        {
            throw new InvalidDataException($"{path}: the header has no 'timestamp' or no '{column}' column.");
        }

        var texts = new List<string>();
        var times = new List<DateTime>();
        var values = new List<double>();
        int line = 1;
        while (reader.ReadLine() is { } row)
        {
            line++;
            if (row.Length == 0)
            {
                continue;
            }

            string[] cells = row.Split(',');
            if (cells.Length <= Math.Max(timeIndex, valueIndex))
            {
                throw new InvalidDataException($"{path}, line {line}: expected at least {Math.Max(timeIndex, valueIndex) + 1} cells.");
            }

            texts.Add(cells[timeIndex]);
            times.Add(NabLabels.ParseTime(cells[timeIndex]));
            values.Add(double.TryParse(cells[valueIndex], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : double.NaN);
        }

        return new NabCsv(texts, [.. times], [.. values]);
    }
}
