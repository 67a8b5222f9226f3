namespace ChatLoop.Load;

public static class Program
{
    public static int Main() => 0;
}
