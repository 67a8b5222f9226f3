using System.Text;
using ChatLoop.Protocol;

namespace ChatLoop.Tests.Protocol;

/// <summary>PROTOCOL.md §3: 1 to 64 bytes of UTF-8 after trimming, no control characters.</summary>
public sealed class NamesTests
{
    [TestCase("a")]
    [TestCase("client1")]
    [TestCase("Room With Spaces")]
    [TestCase("x:y")]
    [TestCase("café ☕")]
    [TestCase("🙂")]
    [TestCase("\u00A0nbsp")]
    [TestCase("  padded  ")]
    [TestCase("\tpadded\t")]
    public void Check_ValidName_Null(string name)
    {
        Assert.That(Names.Check(name), Is.Null);
    }

    [TestCase("", "is empty")]
    [TestCase("   ", "is empty")]
    [TestCase(" \t ", "is empty")]
    [TestCase("a\u0000b", "contains a control character")]
    [TestCase("a\u0007", "contains a control character")]
    [TestCase("a\tb", "contains a control character")]
    [TestCase("a\nb", "contains a control character")]
    [TestCase("a\rb", "contains a control character")]
    [TestCase("a\u001Bb", "contains a control character")]
    [TestCase("a\u007Fb", "contains a control character")]
    [TestCase("a\u0085b", "contains a control character")]
    [TestCase("a\u009Fb", "contains a control character")]
    public void Check_InvalidName_Reason(string name, string reason)
    {
        Assert.That(Names.Check(name), Is.EqualTo(reason));
        Assert.That(Names.Check(Encoding.UTF8.GetBytes(name.Trim(' ', '\t'))), Is.EqualTo(reason));
    }

    [TestCase(1, 64, true)]
    [TestCase(1, 65, false)]
    [TestCase(2, 32, true)]
    [TestCase(2, 33, false)]
    [TestCase(3, 21, true)]
    [TestCase(3, 22, false)]
    [TestCase(4, 16, true)]
    [TestCase(4, 17, false)]
    public void Check_LengthInUtf8Bytes_AtMost64(int bytesPerChar, int count, bool valid)
    {
        string unit = bytesPerChar switch { 1 => "a", 2 => "é", 3 => "☕", _ => "🙂" };
        string name = string.Concat(Enumerable.Repeat(unit, count));
        Assume.That(Encoding.UTF8.GetByteCount(name), Is.EqualTo(bytesPerChar * count));

        string? expected = valid ? null : "is longer than 64 bytes";
        Assert.That(Names.Check(name), Is.EqualTo(expected));
        Assert.That(Names.Check(Encoding.UTF8.GetBytes(name)), Is.EqualTo(expected));
    }

    [Test]
    public void Check_String64BytesAfterTrimming_Valid()
    {
        Assert.That(Names.Check("   " + new string('a', 64) + "\t "), Is.Null);
    }

    [TestCase(new byte[] { 0xFF })]
    [TestCase(new byte[] { 0x61, 0xC3 })]
    [TestCase(new byte[] { 0xC3, 0x28 })]
    [TestCase(new byte[] { 0xC0, 0x80 })]
    [TestCase(new byte[] { 0xED, 0xA0, 0x80 })]
    [TestCase(new byte[] { 0xF4, 0x90, 0x80, 0x80 })]
    [TestCase(new byte[] { 0x80 })]
    public void Check_InvalidUtf8_Reason(byte[] name)
    {
        Assert.That(Names.Check(name), Is.EqualTo("is not valid UTF-8"));
    }

    [Test]
    public void Check_64BytesOfMultiByteCharsWithControl_ControlFound()
    {
        // The control character is the last of 64 bytes: the whole name is scanned.
        byte[] name = [.. Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("é", 31)) + "a"), 0x01];

        Assert.That(name, Has.Length.EqualTo(64));
        Assert.That(Names.Check(name), Is.EqualTo("contains a control character"));
    }
}
