using System.Net;
using ChatLoop.Web;

namespace ChatLoop.Tests.Support;

/// <summary>A real web gateway (Kestrel) on 127.0.0.1 and a free port, relaying to the given servers; disposing it stops it.</summary>
public sealed class WebGateway : IDisposable
{
    private readonly Gateway _gateway;

    public WebGateway(params int[] serverPorts)
        : this(new WebSettings(), serverPorts)
    {
    }

    public WebGateway(WebSettings settings, params int[] serverPorts)
    {
        Settings = settings with
        {
            Port = 0,
            Bind = IPAddress.Loopback,
            Servers = serverPorts.Select(p => new DnsEndPoint("127.0.0.1", p)).ToList(),
        };
        _gateway = new Gateway(Settings);
        _gateway.StartAsync().GetAwaiter().GetResult();
    }

    public WebSettings Settings { get; }

    public int Port => _gateway.Port;

    public string PageUrl => $"http://127.0.0.1:{Port}/";

    public Uri SocketUri => new($"ws://127.0.0.1:{Port}{Gateway.SocketPath}");

    public void Dispose() => _gateway.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
