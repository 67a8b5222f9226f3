using System.Net;
using System.Net.Sockets;

namespace ChatLoop.Load;

/// <summary>
/// What is checked before a run starts, so that no run is spent only to fail at its end or to report a
/// summary of zeros: every output file can be written, and every server takes a connection.
/// </summary>
internal static class Preflight
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The first output path (--json, --csv, --plot) that cannot be written, in words; null when all can.</summary>
    public static string? CheckOutputs(LoadSettings settings) =>
        CheckOutput("--json", settings.JsonPath) ?? CheckOutput("--csv", settings.CsvPath) ?? CheckOutput("--plot", settings.PlotPath);

    /// <summary>Whether <paramref name="path"/> can be written, by opening it for writing; a file made only for this is removed.</summary>
    public static string? CheckOutput(string option, string? path)
    {
        if (path is null)
        {
            return null;
        }

        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"{option} '{path}' is not a file path: {e.Message}";
        }

        if (Directory.Exists(full))
        {
            return $"{option} '{path}' is a folder; name a file in it";
        }

        var folder = Path.GetDirectoryName(full);
        if (folder is not null && !Directory.Exists(folder))
        {
            return $"{option} '{path}': the folder '{folder}' does not exist";
        }

        bool existed = File.Exists(full);
        try
        {
            using (File.Open(full, FileMode.OpenOrCreate, FileAccess.Write))
            {
            }

            if (!existed)
            {
                File.Delete(full);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{option} '{path}' cannot be written: {e.Message}";
        }

        return null;
    }

    /// <summary>The first server that does not take a connection, as "cannot connect to HOST:PORT: why"; null when all do.</summary>
    public static string? CheckServers(IReadOnlyList<IPEndPoint> servers, TimeSpan timeout)
    {
        foreach (var server in servers)
        {
            using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            string? why = null;
            try
            {
                if (!socket.ConnectAsync(server).Wait(timeout))
                {
                    why = $"no answer within {timeout.TotalSeconds:0} s";
                }
            }
            catch (AggregateException e) when (e.InnerException is SocketException s)
            {
                why = s.SocketErrorCode == SocketError.ConnectionRefused
                    ? $"nothing listens there (start a server: ./start.sh {server.Port})"
                    : s.Message;
            }

            if (why is not null)
            {
                return $"cannot connect to {server}: {why}";
            }
        }

        return null;
    }
}
