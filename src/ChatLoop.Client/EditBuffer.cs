using System.Text;

namespace ChatLoop.Client;

/// <summary>
/// The line being typed and its cursor, changed key by key with the usual terminal keys (arrows,
/// Home/End, Backspace/Delete, Ctrl-A/E/B/F/U/K/W, history on Up/Down). Pure: no console.
/// </summary>
public sealed class EditBuffer
{
    private const int MaxHistory = 200;
    private readonly StringBuilder _text = new();
    private readonly List<string> _history = [];
    private int _historyIndex;
    private string _draft = "";

    public string Text => _text.ToString();

    /// <summary>Position of the cursor in <see cref="Text"/>, 0 to its length.</summary>
    public int Cursor { get; private set; }

    public EditAction Apply(ConsoleKeyInfo key, out string? submitted)
    {
        submitted = null;
        bool control = (key.Modifiers & ConsoleModifiers.Control) != 0;
        switch (key.KeyChar)
        {
            case '\r' or '\n':
                submitted = Submit();
                return EditAction.Submit;
            case '\x03':
                // A half-typed line is cleared first; Ctrl-C on an empty line quits.
                if (_text.Length == 0)
                {
                    return EditAction.Interrupt;
                }

                _text.Clear();
                Cursor = 0;
                _historyIndex = _history.Count;
                _draft = "";
                return EditAction.Redraw;
            case '\x04':
                if (_text.Length == 0)
                {
                    return EditAction.EndOfInput;
                }

                DeleteAt(Cursor);
                return EditAction.Redraw;
            case '\b' or '\x7f':
                Backspace();
                return EditAction.Redraw;
            case '\x01': Cursor = 0; return EditAction.Redraw;
            case '\x05': Cursor = _text.Length; return EditAction.Redraw;
            case '\x02': Left(); return EditAction.Redraw;
            case '\x06': Right(); return EditAction.Redraw;
            case '\x0b': _text.Length = Cursor; return EditAction.Redraw;
            case '\x15': _text.Remove(0, Cursor); Cursor = 0; return EditAction.Redraw;
            case '\x17': DeleteWordBefore(); return EditAction.Redraw;
            case '\x10': HistoryMove(-1); return EditAction.Redraw;
            case '\x0e': HistoryMove(+1); return EditAction.Redraw;
            default:
                break;
        }

        switch (key.Key)
        {
            case ConsoleKey.Enter:
                submitted = Submit();
                return EditAction.Submit;
            case ConsoleKey.Backspace: Backspace(); break;
            case ConsoleKey.Delete: DeleteAt(Cursor); break;
            case ConsoleKey.LeftArrow: Left(); break;
            case ConsoleKey.RightArrow: Right(); break;
            case ConsoleKey.Home: Cursor = 0; break;
            case ConsoleKey.End: Cursor = _text.Length; break;
            case ConsoleKey.UpArrow: HistoryMove(-1); break;
            case ConsoleKey.DownArrow: HistoryMove(+1); break;
            default:
                if (key.KeyChar != '\0' && !char.IsControl(key.KeyChar) && !control)
                {
                    _text.Insert(Cursor, key.KeyChar);
                    Cursor++;
                }

                break;
        }

        return EditAction.Redraw;
    }

    private string Submit()
    {
        var line = _text.ToString();
        if (line.Trim().Length > 0 && (_history.Count == 0 || _history[^1] != line))
        {
            _history.Add(line);
            if (_history.Count > MaxHistory)
            {
                _history.RemoveAt(0);
            }
        }

        _historyIndex = _history.Count;
        _draft = "";
        _text.Clear();
        Cursor = 0;
        return line;
    }

    private void Backspace()
    {
        if (Cursor > 0)
        {
            Cursor--;
            _text.Remove(Cursor, 1);
        }
    }

    private void DeleteAt(int i)
    {
        if (i < _text.Length)
        {
            _text.Remove(i, 1);
        }
    }

    private void Left() => Cursor = Math.Max(0, Cursor - 1);

    private void Right() => Cursor = Math.Min(_text.Length, Cursor + 1);

    private void DeleteWordBefore()
    {
        int start = Cursor;
        while (start > 0 && _text[start - 1] == ' ')
        {
            start--;
        }

        while (start > 0 && _text[start - 1] != ' ')
        {
            start--;
        }

        _text.Remove(start, Cursor - start);
        Cursor = start;
    }

    /// <summary>Up goes to older lines; Down comes back, ending at the line that was being typed.</summary>
    private void HistoryMove(int step)
    {
        int target = _historyIndex + step;
        if (target < 0 || target > _history.Count)
        {
            return;
        }

        if (_historyIndex == _history.Count)
        {
            _draft = _text.ToString();
        }

        _historyIndex = target;
        _text.Clear().Append(target == _history.Count ? _draft : _history[target]);
        Cursor = _text.Length;
    }
}
