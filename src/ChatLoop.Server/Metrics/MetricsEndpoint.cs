using System.Net;
using System.Net.Sockets;
using System.Text;
using NLog;

namespace ChatLoop.Server.Metrics;

/// <summary>
/// Serves GET /metrics over plain HTTP/1.1 on its own thread, one short connection at a time (Prometheus
/// scrapes one request per connection or reuses one; either works, as each answer closes the connection).
/// A plain socket rather than HttpListener: it binds exactly the address given and answers whatever Host
/// the scraper sends (HttpListener answers 404 to a Host its prefix does not name: bound to 127.0.0.1, it
/// turns away "localhost:9464"), and a port in use fails in the constructor, as the chat port does.
/// </summary>
internal sealed class MetricsEndpoint : IDisposable
{
    /// <summary>A request head longer than this is not a scrape; it gets 431 and is closed.</summary>
    private const int MaxHeadBytes = 8 * 1024;

    /// <summary>A scraper gets this long to send its request head, and each send to it this long, so it cannot hold the endpoint from the next one.</summary>
    private const int IoTimeoutMs = 5000;

    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly Socket _listener;
    private readonly MetricsExporter _exporter;
    private readonly Thread _thread;
    private readonly TimeProvider _time;

    /// <param name="time">The server's clock, for the scraper's deadline; the system clock if none is given.</param>
    public MetricsEndpoint(IPAddress bind, int port, MetricsExporter exporter, TimeProvider? time = null)
    {
        _exporter = exporter;
        _time = time ?? TimeProvider.System;
        _listener = new Socket(bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _listener.Bind(new IPEndPoint(bind, port));
            _listener.Listen(16);
        }
        catch
        {
            _listener.Dispose();
            throw;
        }

        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _thread = new Thread(Serve) { Name = "chatloop-metrics", IsBackground = true };
        _thread.Start();
        Log.Info("Metrics at http://{Endpoint}/metrics", EndPoint);
    }

    public IPEndPoint EndPoint { get; }

    public void Dispose()
    {
        _listener.Dispose();
        _thread.Join(TimeSpan.FromSeconds(IoTimeoutMs / 1000 + 1));
    }

    private void Serve()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = _listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            using (client)
            {
                try
                {
                    client.SendTimeout = IoTimeoutMs;
                    Answer(client);
                }
                catch (Exception e) when (e is SocketException or IOException)
                {
                    Log.Debug("Metrics scrape from {Remote} ended: {Error}", client.RemoteEndPoint, e.Message);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    Log.Warn(e, "Metrics scrape from {Remote} failed", client.RemoteEndPoint);
                }
            }
        }
    }

    private void Answer(Socket client)
    {
        var head = ReadHead(client);
        if (head is null)
        {
            Respond(client, "431 Request Header Fields Too Large", "text/plain", "request head too long\n"u8, false);
            return;
        }

        var parts = head.Split(' ', 3);
        if (parts.Length < 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            Respond(client, "400 Bad Request", "text/plain", "not an HTTP/1.x request\n"u8, false);
            return;
        }

        bool headOnly = parts[0] == "HEAD";
        if (parts[0] != "GET" && !headOnly)
        {
            Respond(client, "405 Method Not Allowed", "text/plain", "only GET /metrics\n"u8, false);
            return;
        }

        string path = parts[1].Split('?', 2)[0];
        if (path != "/metrics")
        {
            Respond(client, "404 Not Found", "text/plain", "metrics are at /metrics\n"u8, headOnly);
            return;
        }

        using var body = new MemoryStream();
        _exporter.WriteAsync(body, CancellationToken.None).GetAwaiter().GetResult();
        Respond(client, "200 OK", "text/plain; version=0.0.4; charset=utf-8", body.GetBuffer().AsSpan(0, (int)body.Length), headOnly);
    }

    /// <summary>The request line, once the whole head has arrived; null if the head is past the bound.</summary>
    private string? ReadHead(Socket client)
    {
        var buffer = new byte[MaxHeadBytes];
        int length = 0;
        long start = _time.GetTimestamp();
        while (true)
        {
            int end = HeadEnd(buffer.AsSpan(0, length));
            if (end >= 0)
            {
                var text = Encoding.ASCII.GetString(buffer, 0, end);
                return text.Split('\n', 2)[0].TrimEnd('\r');
            }

            if (length == buffer.Length)
            {
                return null;
            }

            long left = IoTimeoutMs - (long)_time.GetElapsedTime(start).TotalMilliseconds;
            if (left <= 0)
            {
                throw new IOException($"the scraper took more than {IoTimeoutMs} ms to send its request");
            }

            client.ReceiveTimeout = (int)left;
            int n = client.Receive(buffer, length, buffer.Length - length, SocketFlags.None);
            if (n == 0)
            {
                throw new IOException("the scraper closed before its request was complete");
            }

            length += n;
        }
    }

    /// <summary>Where the blank line that ends the head begins, or -1.</summary>
    private static int HeadEnd(ReadOnlySpan<byte> data)
    {
        int crlf = data.IndexOf("\r\n\r\n"u8);
        int lf = data.IndexOf("\n\n"u8);
        return crlf < 0 ? lf : lf < 0 ? crlf : Math.Min(crlf, lf);
    }

    private static void Respond(Socket client, string status, string contentType, ReadOnlySpan<byte> body, bool headOnly)
    {
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        client.Send(head);
        if (!headOnly)
        {
            client.Send(body);
        }

        client.Shutdown(SocketShutdown.Send);
    }
}
