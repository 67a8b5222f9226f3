using System.Globalization;
using System.Text;

namespace ChatLoop.Client;

/// <summary>
/// A one-row line editor for a terminal: the prompt and the line being typed stay on the bottom
/// row, and <see cref="WriteLine"/> (called from any thread) clears that row, prints the line, and
/// redraws the prompt and the partial input with the cursor where it was. A line wider than the
/// terminal scrolls sideways rather than wrapping, so one carriage return always reaches its start.
/// Uses only CR and two ANSI sequences (erase to end of line, cursor forward); never queries the cursor.
/// </summary>
public sealed class LineEditor : IDisposable
{
    private const string EraseToEnd = "\x1b[K";
    private readonly object _gate = new();
    private readonly EditBuffer _buffer = new();
    private readonly TextWriter _terminal;
    private readonly Func<ConsoleKeyInfo> _readKey;
    private readonly Func<int> _width;
    private string _prompt;
    private int _scroll;
    private bool _closed;

    /// <param name="terminal">Where the screen is drawn (Console.Out).</param>
    /// <param name="readKey">Blocks for the next key, not echoed (Console.ReadKey(true)).</param>
    /// <param name="width">The terminal's width in columns now.</param>
    public LineEditor(TextWriter terminal, Func<ConsoleKeyInfo> readKey, Func<int> width, string prompt)
    {
        _terminal = terminal;
        _readKey = readKey;
        _width = width;
        _prompt = prompt;
    }

    /// <summary>Draws the prompt for the first time.</summary>
    public void Open()
    {
        lock (_gate)
        {
            Redraw();
        }
    }

    /// <summary>Reads keys until a line is finished; null on Ctrl-D or Ctrl-C on an empty line, or when input ends.</summary>
    public string? ReadLine()
    {
        while (true)
        {
            ConsoleKeyInfo key;
            try
            {
                key = _readKey();
            }
            catch (InvalidOperationException)
            {
                return null;
            }
            catch (IOException)
            {
                return null;
            }

            lock (_gate)
            {
                if (_closed)
                {
                    return null;
                }

                var action = _buffer.Apply(key, out var line);
                if (action is EditAction.EndOfInput or EditAction.Interrupt)
                {
                    return null;
                }

                Redraw();
                if (action == EditAction.Submit)
                {
                    return line;
                }
            }
        }
    }

    public void SetPrompt(string prompt)
    {
        lock (_gate)
        {
            _prompt = prompt;
            Redraw();
        }
    }

    /// <summary>Prints one line above the prompt without disturbing what is being typed.</summary>
    public void WriteLine(string text)
    {
        lock (_gate)
        {
            _terminal.Write("\r" + EraseToEnd + text + "\r\n");
            Redraw();
        }
    }

    /// <summary>Clears the prompt row; later lines print plainly.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (!_closed)
            {
                _closed = true;
                _terminal.Write("\r" + EraseToEnd);
                _terminal.Flush();
            }
        }
    }

    private void Redraw()
    {
        if (_closed)
        {
            _terminal.Flush();
            return;
        }

        var text = _buffer.Text;
        int cursor = _buffer.Cursor;
        int room = Math.Max(1, SafeWidth() - 1 - _prompt.Length);
        _scroll = Math.Min(_scroll, Math.Max(0, text.Length - room));
        if (cursor < _scroll)
        {
            _scroll = cursor;
        }
        else if (cursor - _scroll > room)
        {
            _scroll = cursor - room;
        }

        var screen = new StringBuilder(_prompt.Length + room + 16);
        screen.Append('\r').Append(_prompt).Append(text, _scroll, Math.Min(room, text.Length - _scroll)).Append(EraseToEnd).Append('\r');
        int column = _prompt.Length + cursor - _scroll;
        if (column > 0)
        {
            screen.Append("\x1b[").Append(column.ToString(CultureInfo.InvariantCulture)).Append('C');
        }

        _terminal.Write(screen.ToString());
        _terminal.Flush();
    }

    private int SafeWidth()
    {
        try
        {
            int w = _width();
            return w > 0 ? w : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }
}
