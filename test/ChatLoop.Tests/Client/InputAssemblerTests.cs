using ChatLoop.Client;

namespace ChatLoop.Tests.Client;

public sealed class InputAssemblerTests
{
    [Test]
    public void TryComplete_LineWithoutBackslash_CompleteAsIs()
    {
        var assembler = new InputAssembler();

        Assert.That(assembler.TryComplete("hello", out var text), Is.True);
        Assert.That(text, Is.EqualTo("hello"));
        Assert.That(assembler.Continuing, Is.False);
    }

    [Test]
    public void TryComplete_TrailingBackslash_JoinsLinesWithLf()
    {
        var assembler = new InputAssembler();

        Assert.That(assembler.TryComplete("first \\", out _), Is.False);
        Assert.That(assembler.Continuing, Is.True);
        Assert.That(assembler.TryComplete("second\\  ", out _), Is.False);
        Assert.That(assembler.TryComplete("third", out var text), Is.True);

        Assert.That(text, Is.EqualTo("first \nsecond\nthird"));
        Assert.That(assembler.Continuing, Is.False);
    }
}
