using ChatLoop.Client;

namespace ChatLoop.Tests.Client;

public sealed class LineEditorTests
{
    [Test]
    public void WriteLine_WhileTyping_PrintsAboveAndRedrawsPartialInput()
    {
        using var terminal = new StringWriter();
        LineEditor? editor = null;
        var keys = new Queue<Func<ConsoleKeyInfo>>();
        foreach (char c in "hel")
        {
            keys.Enqueue(() => Char(c));
        }

        keys.Enqueue(() =>
        {
            editor!.WriteLine("[room1] bob: hi");
            return Char('p');
        });
        keys.Enqueue(() => new ConsoleKeyInfo('\r', ConsoleKey.Enter, false, false, false));
        editor = new LineEditor(terminal, () => keys.Dequeue()(), () => 80, "> ");

        var line = editor.ReadLine();

        Assert.That(line, Is.EqualTo("help"));
        Assert.That(terminal.ToString(), Does.Contain("\r\u001b[K[room1] bob: hi\r\n\r> hel\u001b[K\r\u001b[5C"),
            "the prompt row is cleared, the line printed, then the prompt and 'hel' redrawn with the cursor after them");
    }

    [Test]
    public void ReadLine_LineWiderThanTerminal_ScrollsSidewaysKeepingCursorVisible()
    {
        using var terminal = new StringWriter();
        var keys = new Queue<ConsoleKeyInfo>("abcdefghij".Select(Char));
        keys.Enqueue(new ConsoleKeyInfo('\r', ConsoleKey.Enter, false, false, false));
        using var editor = new LineEditor(terminal, keys.Dequeue, () => 10, "> ");

        Assert.That(editor.ReadLine(), Is.EqualTo("abcdefghij"));
        Assert.That(terminal.ToString(), Does.Contain("\r> defghij\u001b[K\r\u001b[9C"), "7 columns of text after the prompt, the last column left free");
    }

    [Test]
    public void ReadLine_CtrlD_Null()
    {
        using var terminal = new StringWriter();
        using var editor = new LineEditor(terminal, () => new ConsoleKeyInfo('\x04', ConsoleKey.D, false, false, true), () => 80, "> ");

        Assert.That(editor.ReadLine(), Is.Null);
    }

    [Test]
    public void ReadLine_CtrlCWithTextThenTyping_LineClearedAndTheNewLineRead()
    {
        using var terminal = new StringWriter();
        var keys = new Queue<ConsoleKeyInfo>("oops".Select(Char));
        keys.Enqueue(new ConsoleKeyInfo('\x03', ConsoleKey.C, false, false, true));
        foreach (char c in "hi")
        {
            keys.Enqueue(Char(c));
        }

        keys.Enqueue(new ConsoleKeyInfo('\r', ConsoleKey.Enter, false, false, false));
        using var editor = new LineEditor(terminal, keys.Dequeue, () => 80, "> ");

        Assert.That(editor.ReadLine(), Is.EqualTo("hi"));
        Assert.That(terminal.ToString(), Does.Contain("\r> \u001b[K\r\u001b[2C"), "the prompt redrawn empty after Ctrl-C");
    }

    [Test]
    public void ReadLine_CtrlCTwice_NullAfterClearing()
    {
        using var terminal = new StringWriter();
        var keys = new Queue<ConsoleKeyInfo>("oops".Select(Char));
        keys.Enqueue(new ConsoleKeyInfo('\x03', ConsoleKey.C, false, false, true));
        keys.Enqueue(new ConsoleKeyInfo('\x03', ConsoleKey.C, false, false, true));
        using var editor = new LineEditor(terminal, keys.Dequeue, () => 80, "> ");

        Assert.That(editor.ReadLine(), Is.Null);
        Assert.That(keys, Is.Empty);
    }

    [Test]
    public void ReadLine_InputClosed_Null()
    {
        using var terminal = new StringWriter();
        using var editor = new LineEditor(terminal, () => throw new InvalidOperationException("stdin closed"), () => 80, "> ");

        Assert.That(editor.ReadLine(), Is.Null);
    }

    private static ConsoleKeyInfo Char(char c) => new(c, ConsoleKey.NoName, false, false, false);
}
