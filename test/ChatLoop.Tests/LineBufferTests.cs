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

    [TestCase("", false)]
    [TestCase("a\n", false)]
    [TestCase("a\r", false)]
    [TestCase("a\r\n", false)]
    [TestCase("a\nb", true)]
    [TestCase(" ", true)]
    public void HasUnterminatedLine_BytesAfterTheLastLineEnd(string input, bool unterminated)
    {
        using var lines = new LineBuffer();
        lines.Append(Encoding.UTF8.GetBytes(input));

        Assert.That(lines.HasUnterminatedLine, Is.EqualTo(unterminated));
        Assert.That(lines.EndLine(), Is.EqualTo(unterminated));
    }

    [TestCase("\n", new[] { "a", "b" })]
    [TestCase("\r\n", new[] { "a", "b" })]
    [TestCase("\r", new[] { "a", "b" })]
    [TestCase("\n\n", new[] { "a", "", "b" })]
    [TestCase("", new[] { "a", "b" })]
    public void EndLine_ThenLateLineEnd_TheLateEndIsTheEndedLines(string late, string[] expected)
    {
        using var lines = new LineBuffer();
        lines.Append("a"u8);
        Assert.That(lines.TryReadLine(out _), Is.False);

        Assert.That(lines.EndLine(), Is.True);
        Assert.That(lines.TryReadLine(out var first), Is.True);
        var got = new List<string> { Encoding.UTF8.GetString(first) };
        foreach (var b in Encoding.UTF8.GetBytes(late + "b\n"))
        {
            lines.Append([b]);
            while (lines.TryReadLine(out var line))
            {
                got.Add(Encoding.UTF8.GetString(line));
            }
        }

        Assert.That(got, Is.EqualTo(expected));
    }
}
