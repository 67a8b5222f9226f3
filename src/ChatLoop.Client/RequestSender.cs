using System.Buffers;

namespace ChatLoop.Client;

/// <summary>Requests to the server: each encoded into one reused buffer and written whole, one at a time.</summary>
internal sealed class RequestSender
{
    private readonly Stream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly object _lock = new();

    public RequestSender(Stream stream) => _stream = stream;

    public void Send(Action<IBufferWriter<byte>> encode)
    {
        lock (_lock)
        {
            _buffer.ResetWrittenCount();
            encode(_buffer);
            try
            {
                _stream.Write(_buffer.WrittenSpan);
                _stream.Flush();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The connection is gone; the receive loop sees it too and reports it once.
            }
        }
    }
}
