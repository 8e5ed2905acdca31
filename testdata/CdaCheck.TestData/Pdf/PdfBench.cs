namespace CdaCheck.TestData.Pdf;

public static class PdfBench
{
    public static int Run(string[] args) => 0;
}
