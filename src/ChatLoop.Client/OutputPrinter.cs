namespace ChatLoop.Client;

/// <summary>
/// Where the session's lines go (the console, the line editor, a test's writer), from either thread, whole
/// lines at a time. Output that is gone (a closed pipe) is ignored: the connection's logic keeps going.
/// </summary>
internal sealed class OutputPrinter
{
    private readonly TextWriter _output;
    private readonly object _lock = new();

    public OutputPrinter(TextWriter output) => _output = output;

    public void Print(string line) => Print([line]);

    public void Print(IReadOnlyList<string> lines)
    {
        lock (_lock)
        {
            try
            {
                foreach (var line in lines)
                {
                    _output.WriteLine(line);
                }

                _output.Flush();
            }
            catch (IOException)
            {
                // Output gone (a closed pipe): nothing useful to do but keep the connection's logic going.
            }
        }
    }
}
