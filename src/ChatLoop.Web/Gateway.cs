using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NLog;

namespace ChatLoop.Web;

/// <summary>
/// The web gateway: Kestrel serving the page and, at <c>/ws</c>, WebSockets each relayed to one TCP
/// connection of a ChatLoop server (<see cref="Relay"/>). Start it, read <see cref="Port"/>, dispose it.
/// </summary>
public sealed class Gateway : IAsyncDisposable
{
    public const string SocketPath = "/ws";

    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly WebSettings _settings;
    private readonly ServerPool _pool;
    private readonly WebApplication _app;
    private int _open;

    public Gateway(WebSettings settings)
    {
        _settings = settings;
        _pool = new ServerPool(settings.Servers, settings.ConnectTimeout);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.None);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(settings.Bind, settings.Port);
            // The gateway counts its WebSockets itself (a 503 in words); Kestrel's bound is the backstop.
            k.Limits.MaxConcurrentUpgradedConnections = settings.MaxConnections + 16;
            k.Limits.MaxConcurrentConnections = settings.MaxConnections + 64;
            k.AddServerHeader = false;
        });
        _app = builder.Build();
        _app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        _app.Map(SocketPath, AcceptAsync);
        _app.MapGet("/{file?}", PageFiles.Serve);
    }

    /// <summary>The port the page is served on (the one chosen when the settings said 0).</summary>
    public int Port { get; private set; }

    /// <summary>Listens; a port in use throws <see cref="IOException"/> (Kestrel's AddressInUseException).</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        await _app.StartAsync(ct).ConfigureAwait(false);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
        Log.Info("Web gateway on http://{Address}:{Port}/ to {Servers}", Show(_settings.Bind), Port, string.Join(", ", _settings.Servers.Select(ServerPool.Show)));
    }

    /// <summary>Connects to every server once; null when all answered, else the one line saying which did not.</summary>
    public Task<string?> CheckServersAsync(CancellationToken ct = default) => _pool.CheckAllAsync(ct);

    public Task WaitForShutdownAsync(CancellationToken ct) => _app.WaitForShutdownAsync(ct);

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(cts.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static string Show(IPAddress a) => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{a}]" : a.ToString();

    private async Task AcceptAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsync("a WebSocket is expected here\n").ConfigureAwait(false);
            return;
        }

        if (!OriginCheck.Allowed(http.Request, _settings.AllowOrigins))
        {
            Log.Warn("Refused a WebSocket from origin {Origin} (not this page's; see --allow-origin)", http.Request.Headers.Origin.ToString());
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.Response.WriteAsync("origin not allowed\n").ConfigureAwait(false);
            return;
        }

        if (Interlocked.Increment(ref _open) > _settings.MaxConnections)
        {
            Interlocked.Decrement(ref _open);
            Log.Warn("Refused a WebSocket: {Max} are open (--max-connections)", _settings.MaxConnections);
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await http.Response.WriteAsync("the gateway is full\n").ConfigureAwait(false);
            return;
        }

        try
        {
            await RelayAsync(http).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private async Task RelayAsync(HttpContext http)
    {
        var stopping = http.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var ws = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var (tcp, server, why) = await _pool.ConnectAsync(stopping).ConfigureAwait(false);
        if (tcp is null)
        {
            Log.Warn("A browser connected, but no chat server answered: {Why}", why);
            await Relay.RefuseAsync(ws, why!).ConfigureAwait(false);
            return;
        }

        var browser = $"{http.Connection.RemoteIpAddress}:{http.Connection.RemotePort}";
        await new Relay(ws, tcp, server, _settings, browser).RunAsync(stopping).ConfigureAwait(false);
    }
}
