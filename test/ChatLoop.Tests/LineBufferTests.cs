using System.Text;
using ChatLoop.Protocol;

namespace ChatLoop.Tests;

public sealed class LineBufferTests
{
    [TestCase("a\nb\n", new[] { "a", "b" })]
    [TestCase("a\r\nb\r\n", new[] { "a", "b" })]
    [TestCase("a\rb\r", new[] { "a", "b" })]
    [TestCase("a\r\rb\n", new[] { "a", "", "b" })]
    [TestCase("a\nb", new[] { "a" })]
    public void TryReadLine_AnyLineEnd_SameLines(string input, string[] expected)
    {
        using var lines = new LineBuffer();
        lines.Append(Encoding.UTF8.GetBytes(input));
        var got = new List<string>();
        while (lines.TryReadLine(out var line))
        {
            got.Add(Encoding.UTF8.GetString(line));
        }

        Assert.That(got, Is.EqualTo(expected));
    }

    [Test]
    public void TryReadLine_CrAndLfInSeparateChunks_OneLineEnd()
    {
        using var lines = new LineBuffer();
        lines.Append("a\r"u8);
        Assert.That(lines.TryReadLine(out var first), Is.True);
        Assert.That(Encoding.UTF8.GetString(first), Is.EqualTo("a"));
        lines.Append("\nb\n"u8);
        Assert.That(lines.TryReadLine(out var second), Is.True);
        Assert.That(Encoding.UTF8.GetString(second), Is.EqualTo("b"));
        Assert.That(lines.TryReadLine(out _), Is.False);
    }
}
