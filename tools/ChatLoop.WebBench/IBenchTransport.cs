namespace ChatLoop.WebBench;

/// <summary>One client's connection as the bench drives it: straight TCP or through the gateway.</summary>
public interface IBenchTransport : IAsyncDisposable
{
    Task SendJoinAsync(string room, string name, CancellationToken ct);

    Task SendChatAsync(long roomRef, long joinId, string name, string message, CancellationToken ct);

    /// <summary>The next block, as the bench needs it; null when the connection ended.</summary>
    Task<BenchBlock?> ReceiveAsync(CancellationToken ct);
}
