using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace ChatLoop.Protocol;

/// <summary>Small writers onto an <see cref="IBufferWriter{T}"/>, shared by the block encoders.</summary>
public static class Wire
{
    public static void Write(IBufferWriter<byte> w, ReadOnlySpan<byte> bytes)
    {
        var span = w.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        w.Advance(bytes.Length);
    }

    public static void Write(IBufferWriter<byte> w, string text)
    {
        var span = w.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        w.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    public static void Write(IBufferWriter<byte> w, long number)
    {
        var span = w.GetSpan(20);
        Utf8Formatter.TryFormat(number, span, out int written);
        w.Advance(written);
    }

    public static void Newline(IBufferWriter<byte> w) => Write(w, "\n"u8);
}
