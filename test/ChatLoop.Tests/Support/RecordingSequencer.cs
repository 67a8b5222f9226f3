using System.Text;
using ChatLoop.Server;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Sequencing;

namespace ChatLoop.Tests.Support;

/// <summary>An <see cref="ISequencer"/> that applies nothing and records what the handler hands it, as a cluster's would before Redis answers.</summary>
internal sealed class RecordingSequencer : ISequencer
{
    public bool AppliesAtOnce => false;

    public string? Unavailable { get; set; }

    public string? State => "up";

    /// <summary>Every call, in order, as text: <c>join a r</c>, <c>chat a r hello</c>, <c>leave a r</c>, <c>gone a r</c>, <c>retiring a</c>.</summary>
    public List<string> Calls { get; } = [];

    /// <summary>The origin connection of each call, in the same order.</summary>
    public List<Connection?> Origins { get; } = [];

    public void Submit(in RoomEvent e)
    {
        string kind = e.Kind.ToString().ToLowerInvariant();
        string name = e.ClientName ?? Encoding.UTF8.GetString(e.Name);
        string message = e.Message.IsEmpty ? "" : " " + Encoding.UTF8.GetString(e.Message);
        Record($"{kind} {name} {e.RoomName}{message}", e.Origin);
    }

    public void Retiring(Connection c) => Record($"retiring {c.Member.Name}", c);

    private void Record(string call, Connection? origin)
    {
        Calls.Add(call);
        Origins.Add(origin);
    }
}
