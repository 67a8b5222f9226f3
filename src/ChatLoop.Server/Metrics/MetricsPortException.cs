using System.Net.Sockets;

namespace ChatLoop.Server.Metrics;

/// <summary>The metrics endpoint could not listen; the message is the one line the operator sees.</summary>
public sealed class MetricsPortException(string message, SocketException inner) : Exception(message, inner);
