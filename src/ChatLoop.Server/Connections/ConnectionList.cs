namespace ChatLoop.Server.Connections;

/// <summary>
/// Every connection the reactor holds, open or closing. Each knows its index (<see cref="Connection.Slot"/>),
/// so removing one moves the last into its place: O(1), order not kept.
/// </summary>
internal sealed class ConnectionList
{
    private readonly List<Connection> _items = [];

    public int Count => _items.Count;

    public void Add(Connection c)
    {
        c.PlaceAt(_items.Count);
        _items.Add(c);
    }

    public void Remove(Connection c)
    {
        var last = _items[^1];
        _items[c.Slot] = last;
        last.PlaceAt(c.Slot);
        _items.RemoveAt(_items.Count - 1);
    }

    public bool Exists(Predicate<Connection> match) => _items.Exists(match);

    public Connection[] ToArray() => [.. _items];

    public List<Connection>.Enumerator GetEnumerator() => _items.GetEnumerator();
}
