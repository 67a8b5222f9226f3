using System.Text;
using ChatLoop.Load;

namespace ChatLoop.Tests.Load;

public sealed class PayloadMarkerTests
{
    [Test]
    public void Write_ThenTryParse_SameNumbersAndPaddedToSize()
    {
        var buffer = new byte[PayloadMarker.Length(64)];
        int n = PayloadMarker.Write(buffer, ticks: 123456789012, sender: 42, seq: 7, size: 64);
        var text = Encoding.ASCII.GetString(buffer, 0, n);
        Assert.That(text, Does.StartWith("~LG t=123456789012 s=42 q=7 x"));
        Assert.That(n, Is.EqualTo(64));
        Assert.That(PayloadMarker.TryParse(buffer.AsSpan(0, n), out long t, out int s, out int q), Is.True);
        Assert.That((t, s, q), Is.EqualTo((123456789012L, 42, 7)));
    }

    [Test]
    public void Write_SizeSmallerThanMarker_WholeMarkerKept()
    {
        var buffer = new byte[PayloadMarker.Length(1)];
        int n = PayloadMarker.Write(buffer, long.MaxValue, int.MaxValue, int.MaxValue, size: 1);
        Assert.That(n, Is.LessThanOrEqualTo(PayloadMarker.MaxMarkerLength));
        Assert.That(PayloadMarker.TryParse(buffer.AsSpan(0, n), out long t, out _, out int q), Is.True);
        Assert.That((t, q), Is.EqualTo((long.MaxValue, int.MaxValue)));
    }

    [Test]
    public void TryParse_MarkerInsideText_Found()
    {
        Assert.That(PayloadMarker.TryParse("hello ~LG t=5 s=1 q=2"u8, out long t, out int s, out int q), Is.True);
        Assert.That((t, s, q), Is.EqualTo((5L, 1, 2)));
    }

    [TestCase("hello world")]
    [TestCase("~LG t=5 s=1")]
    [TestCase("~LG t= s=1 q=2")]
    [TestCase("~LG t=5 s=1 q=2x")]
    [TestCase("~LG t=5 s=99999999999 q=2")]
    public void TryParse_NoWholeMarker_False(string message)
    {
        Assert.That(PayloadMarker.TryParse(Encoding.ASCII.GetBytes(message), out _, out _, out _), Is.False);
    }
}
