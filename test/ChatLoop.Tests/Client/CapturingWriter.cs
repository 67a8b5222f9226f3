using System.Text;

namespace ChatLoop.Tests.Client;

/// <summary>A thread-safe <see cref="TextWriter"/> that keeps whole lines and lets a test wait, bounded, for one.</summary>
internal sealed class CapturingWriter : TextWriter
{
    private readonly object _gate = new();
    private readonly List<string> _lines = [];
    private readonly StringBuilder _partial = new();

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return _lines.ToArray();
            }
        }
    }

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\n')
            {
                _lines.Add(_partial.ToString());
                _partial.Clear();
                Monitor.PulseAll(_gate);
            }
            else if (value != '\r')
            {
                _partial.Append(value);
            }
        }
    }

    /// <summary>Waits until a line equal to <paramref name="line"/> has been written; fails the test after <paramref name="timeout"/>.</summary>
    public void WaitFor(string line, TimeSpan? timeout = null) => WaitUntil(l => l == line, $"the line '{line}'", timeout);

    public void WaitUntil(Func<string, bool> match, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        lock (_gate)
        {
            while (!_lines.Any(match))
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !Monitor.Wait(_gate, left))
                {
                    if (!_lines.Any(match))
                    {
                        Assert.Fail($"waited for {what}; got:\n{string.Join('\n', _lines)}");
                    }
                }
            }
        }
    }
}
