using ChatLoop.Protocol;

namespace ChatLoop.Client;

/// <summary>Server bytes in, one complete response at a time out, until the connection ends.</summary>
internal sealed class ReceiveLoop : IDisposable
{
    private readonly Stream _stream;
    private readonly ResponseReader _reader = new();

    public ReceiveLoop(Stream stream) => _stream = stream;

    /// <summary>Reads until the server closes the connection, it fails, or <paramref name="stop"/> is cancelled.</summary>
    public async Task RunAsync(Action<Response> apply, CancellationToken stop)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int n = await _stream.ReadAsync(buffer, stop).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                _reader.Append(buffer.AsSpan(0, n));
                while (_reader.TryRead(out var response))
                {
                    apply(response!);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // A reset or our own close: either way the connection has ended.
        }
    }

    public void Dispose() => _reader.Dispose();
}
