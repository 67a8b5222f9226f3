using ChatLoop.Client;

namespace ChatLoop.Tests.Client;

public sealed class EditBufferTests
{
    [Test]
    public void Apply_TypingAndEnter_SubmitsLineAndClears()
    {
        var buffer = new EditBuffer();
        Type(buffer, "hi");

        var action = buffer.Apply(Key(ConsoleKey.Enter, '\r'), out var line);

        Assert.That(action, Is.EqualTo(EditAction.Submit));
        Assert.That(line, Is.EqualTo("hi"));
        Assert.That(buffer.Text, Is.Empty);
        Assert.That(buffer.Cursor, Is.Zero);
    }

    [Test]
    public void Apply_LeftThenInsert_InsertsAtCursor()
    {
        var buffer = new EditBuffer();
        Type(buffer, "helo");

        buffer.Apply(Key(ConsoleKey.LeftArrow), out _);
        buffer.Apply(Key(ConsoleKey.LeftArrow), out _);
        Type(buffer, "l");

        Assert.That(buffer.Text, Is.EqualTo("hello"));
        Assert.That(buffer.Cursor, Is.EqualTo(3));
    }

    [Test]
    public void Apply_BackspaceAndDelete_RemoveAroundCursor()
    {
        var buffer = new EditBuffer();
        Type(buffer, "abcd");
        buffer.Apply(Key(ConsoleKey.Home), out _);
        buffer.Apply(Key(ConsoleKey.RightArrow), out _);

        buffer.Apply(Key(ConsoleKey.Delete), out _);
        buffer.Apply(Key(ConsoleKey.Backspace, '\x7f'), out _);

        Assert.That(buffer.Text, Is.EqualTo("cd"));
        Assert.That(buffer.Cursor, Is.Zero);
    }

    [Test]
    public void Apply_CtrlW_DeletesWordBeforeCursor()
    {
        var buffer = new EditBuffer();
        Type(buffer, "hello big world");

        buffer.Apply(Ctrl('W'), out _);

        Assert.That(buffer.Text, Is.EqualTo("hello big "));
    }

    [Test]
    public void Apply_CtrlDOnEmptyLine_EndOfInput()
    {
        var buffer = new EditBuffer();

        Assert.That(buffer.Apply(Ctrl('D'), out _), Is.EqualTo(EditAction.EndOfInput));
    }

    [Test]
    public void Apply_CtrlDWithText_DeletesInstead()
    {
        var buffer = new EditBuffer();
        Type(buffer, "ab");
        buffer.Apply(Key(ConsoleKey.Home), out _);

        Assert.That(buffer.Apply(Ctrl('D'), out _), Is.EqualTo(EditAction.Redraw));
        Assert.That(buffer.Text, Is.EqualTo("b"));
    }

    [Test]
    public void Apply_CtrlCOnEmptyLine_Interrupt()
    {
        Assert.That(new EditBuffer().Apply(Ctrl('C'), out _), Is.EqualTo(EditAction.Interrupt));
    }

    [Test]
    public void Apply_CtrlCWithHalfTypedLine_ClearsItThenASecondInterrupts()
    {
        var buffer = new EditBuffer();
        Type(buffer, "half a thou");

        Assert.That(buffer.Apply(Ctrl('C'), out var submitted), Is.EqualTo(EditAction.Redraw));
        Assert.That(submitted, Is.Null, "nothing is sent");
        Assert.That((buffer.Text, buffer.Cursor), Is.EqualTo(("", 0)));

        Assert.That(buffer.Apply(Ctrl('C'), out _), Is.EqualTo(EditAction.Interrupt));
    }

    [Test]
    public void Apply_UpAndDown_WalkHistoryAndRestoreDraft()
    {
        var buffer = new EditBuffer();
        Type(buffer, "one");
        buffer.Apply(Key(ConsoleKey.Enter, '\r'), out _);
        Type(buffer, "two");
        buffer.Apply(Key(ConsoleKey.Enter, '\r'), out _);
        Type(buffer, "dra");

        buffer.Apply(Key(ConsoleKey.UpArrow), out _);
        Assert.That(buffer.Text, Is.EqualTo("two"));
        buffer.Apply(Key(ConsoleKey.UpArrow), out _);
        Assert.That(buffer.Text, Is.EqualTo("one"));
        buffer.Apply(Key(ConsoleKey.DownArrow), out _);
        buffer.Apply(Key(ConsoleKey.DownArrow), out _);
        Assert.That(buffer.Text, Is.EqualTo("dra"));
    }

    [Test]
    public void Apply_ControlCharacter_NotInserted()
    {
        var buffer = new EditBuffer();

        buffer.Apply(Key(ConsoleKey.Escape, '\x1b'), out _);
        buffer.Apply(Key(ConsoleKey.Tab, '\t'), out _);

        Assert.That(buffer.Text, Is.Empty);
    }

    internal static ConsoleKeyInfo Key(ConsoleKey key, char c = '\0') => new(c, key, false, false, false);

    internal static ConsoleKeyInfo Ctrl(char letter) => new((char)(letter - '@'), ConsoleKey.A + (letter - 'A'), false, false, true);

    internal static void Type(EditBuffer buffer, string text)
    {
        foreach (char c in text)
        {
            buffer.Apply(new ConsoleKeyInfo(c, ConsoleKey.NoName, false, false, false), out _);
        }
    }
}
