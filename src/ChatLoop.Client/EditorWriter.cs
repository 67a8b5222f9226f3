using System.Text;

namespace ChatLoop.Client;

/// <summary>A <see cref="TextWriter"/> whose lines go above a <see cref="LineEditor"/>'s prompt.</summary>
public sealed class EditorWriter : TextWriter
{
    private readonly LineEditor _editor;
    private readonly StringBuilder _partial = new();

    public EditorWriter(LineEditor editor) => _editor = editor;

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_partial)
        {
            if (value == '\n')
            {
                var line = _partial.ToString();
                _partial.Clear();
                _editor.WriteLine(line);
            }
            else if (value != '\r')
            {
                _partial.Append(value);
            }
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_partial)
        {
            foreach (char c in value ?? "")
            {
                Write(c);
            }

            Write('\n');
        }
    }
}
