using System.Buffers;
using System.Text;

namespace ChatLoop.Tests.Protocol;

/// <summary>Runs an encoder onto a fresh buffer and returns what it wrote.</summary>
public static class Encoded
{
    public static byte[] Bytes(Action<IBufferWriter<byte>> encode)
    {
        var buffer = new ArrayBufferWriter<byte>();
        encode(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    public static string Text(Action<IBufferWriter<byte>> encode) => Encoding.UTF8.GetString(Bytes(encode));
}
