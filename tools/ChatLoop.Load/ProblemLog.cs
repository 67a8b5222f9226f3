namespace ChatLoop.Load;

/// <summary>The first few problems in words, for the summary; the counters say how many there were.</summary>
internal sealed class ProblemLog
{
    private const int Keep = 8;
    private readonly List<string> _lines = [];
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        lock (_gate)
        {
            if (_lines.Count < Keep)
            {
                _lines.Add(line);
            }
        }
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }
}
