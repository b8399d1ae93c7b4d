using System.Text;

namespace Maran.Instrument.Generator.Emitting;

/// <summary>A string builder that indents.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;
    private bool _opened = true;

    public void Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4);
        }

        _text.Append(line).Append('\n');
        _opened = line.EndsWith("{", System.StringComparison.Ordinal);
    }

    /// <summary>An empty line between two members: none right after an opening brace.</summary>
    public void Gap()
    {
        if (!_opened)
        {
            Line();
        }
    }

    /// <summary>Writes each line of <paramref name="text"/> at the current indentation.</summary>
    public void Lines(string text)
    {
        foreach (string line in text.Replace("\r\n", "\n").Split('\n'))
        {
            Line(line);
        }
    }

    public void Open(string? line = null)
    {
        if (line is not null)
        {
            Line(line);
        }

        Line("{");
        _indent++;
    }

    public void Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
    }

    public override string ToString() => _text.ToString();
}
