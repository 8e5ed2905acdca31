namespace CdaCheck.TestData;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("usage: CdaCheck.TestData <command> (see testdata/README.md)");
        return 2;
    }
}
