namespace ChatLoop.Client;

/// <summary>Disposes a set of registrations (signal handlers) together.</summary>
public sealed class Registrations(IReadOnlyList<IDisposable> items) : IDisposable
{
    public void Dispose()
    {
        foreach (var item in items)
        {
            item.Dispose();
        }
    }
}
