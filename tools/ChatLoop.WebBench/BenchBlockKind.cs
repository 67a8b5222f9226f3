namespace ChatLoop.WebBench;

public enum BenchBlockKind
{
    Joined,
    Chat,
    Notice,
    Other,
}
