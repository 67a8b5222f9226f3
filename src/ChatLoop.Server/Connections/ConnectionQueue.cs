using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace ChatLoop.Server.Connections;

/// <summary>
/// A first-in first-out set of connections: a connection is in it at most once, which a bit of
/// <see cref="Connection.Queues"/> records, so adding is O(1) and needs no search. A ring of
/// references that grows by doubling and never shrinks. Walk it by index (what is added during the
/// walk is visited too), or take each from the front and put back the ones to keep (order kept).
/// </summary>
internal sealed class ConnectionQueue : IEnumerable<Connection>
{
    private readonly ConnectionQueues _tag;
    private Connection[] _items = new Connection[16];
    private int _head;
    private int _count;

    public ConnectionQueue(ConnectionQueues tag) => _tag = tag;

    public int Count => _count;

    /// <summary>The <paramref name="index"/>-th connection from the front.</summary>
    public Connection this[int index] => _items[(_head + index) & (_items.Length - 1)];

    public bool Contains(Connection c) => (c.Queues & _tag) != 0;

    /// <summary>Adds at the back; false, and nothing changes, when it is already in.</summary>
    public bool Enqueue(Connection c)
    {
        if (Contains(c))
        {
            return false;
        }

        if (_count == _items.Length)
        {
            Grow();
        }

        _items[(_head + _count) & (_items.Length - 1)] = c;
        _count++;
        c.EnterQueue(_tag);
        return true;
    }

    public bool TryDequeue([MaybeNullWhen(false)] out Connection c)
    {
        if (_count == 0)
        {
            c = null;
            return false;
        }

        c = _items[_head];
        _items[_head] = null!;
        _head = (_head + 1) & (_items.Length - 1);
        _count--;
        c.LeaveQueue(_tag);
        return true;
    }

    public void Clear()
    {
        while (TryDequeue(out _))
        {
        }
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<Connection> IEnumerable<Connection>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void Grow()
    {
        var bigger = new Connection[_items.Length * 2];
        for (int i = 0; i < _count; i++)
        {
            bigger[i] = this[i];
        }

        _items = bigger;
        _head = 0;
    }

    /// <summary>Front to back by index, allocation-free; connections added meanwhile are visited too.</summary>
    public struct Enumerator : IEnumerator<Connection>
    {
        private readonly ConnectionQueue _queue;
        private int _index;

        internal Enumerator(ConnectionQueue queue)
        {
            _queue = queue;
            _index = -1;
        }

        public readonly Connection Current => _queue[_index];

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < _queue._count;

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }
    }
}
