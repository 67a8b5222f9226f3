using System.Globalization;
using System.Text.RegularExpressions;

namespace ChatLoop.Tests.Support;

/// <summary>A real web gateway process on 127.0.0.1 and a free port, relaying to the given servers; disposing it stops it.</summary>
public sealed partial class WebGateway : IDisposable
{
    private readonly WebCommand _command;

    /// <summary>Starts the gateway for <paramref name="serverPorts"/>, with <paramref name="options"/> added to its command line.</summary>
    public WebGateway(int[] serverPorts, params string[] options)
    {
        var servers = string.Join(',', serverPorts.Select(p => $"127.0.0.1:{p}"));
        _command = new WebCommand(["0", "--server", servers, "--log-level", "info", .. options]);
        try
        {
            var line = _command.WaitForLine(l => Listening().IsMatch(l), TimeSpan.FromSeconds(30));
            Port = int.Parse(Listening().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
        }
        catch
        {
            _command.Dispose();
            throw;
        }
    }

    public WebGateway(int serverPort)
        : this([serverPort])
    {
    }

    public int Port { get; }

    public string PageUrl => $"http://127.0.0.1:{Port}/";

    public Uri SocketUri => new($"ws://127.0.0.1:{Port}/ws");

    /// <summary>What the gateway logged so far.</summary>
    public IReadOnlyList<string> Log => _command.Lines;

    public void Dispose() => _command.Dispose();

    [GeneratedRegex(@"Web gateway on http://127\.0\.0\.1:(\d+)/")]
    private static partial Regex Listening();
}
