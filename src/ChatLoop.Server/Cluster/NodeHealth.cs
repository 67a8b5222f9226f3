namespace ChatLoop.Server.Cluster;

/// <summary>
/// Why this node cannot sequence requests now (they get ERROR 12), or null while it can. Set by the
/// liveness thread and by registration's tasks, read by the reactor: one volatile reference.
/// </summary>
internal sealed class NodeHealth
{
    private volatile string? _down;

    public string? Down => _down;

    public void MarkDown(string why) => _down = why;

    public void MarkUp() => _down = null;
}
