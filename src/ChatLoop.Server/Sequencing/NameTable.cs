using ChatLoop.Server.Connections;

namespace ChatLoop.Server.Sequencing;

/// <summary>Client names held by this node's live connections, compared without regard to case (PROTOCOL.md §2.1).</summary>
internal sealed class NameTable
{
    private readonly Dictionary<string, Connection> _byName = new(StringComparer.OrdinalIgnoreCase);

    public int Count => _byName.Count;

    /// <summary>The connection holding the name here, or null.</summary>
    public Connection? Holder(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// A connection's first JOIN, once its sequencer has settled it: the connection gets its name and JOIN_ID
    /// (for good) and the name is held here. The one place either is given, on one node and in a cluster.
    /// </summary>
    public void Bind(Connection c, string name, long joinId)
    {
        c.Member.Bind(name, joinId);
        _byName[name] = c;
    }

    /// <summary>Frees the connection's name if it holds it; true when it did.</summary>
    public bool Release(Connection c)
    {
        if (c.Member.Name is { } name && _byName.TryGetValue(name, out var holder) && holder == c)
        {
            _byName.Remove(name);
            return true;
        }

        return false;
    }
}
