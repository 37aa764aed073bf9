using System.Reflection.PortableExecutable;

namespace KernelBuild.Tasks.Tests.Faults;

/// <summary>Whether an assembly file is whole, as a fault test asks of what a killed C# compile left behind.</summary>
internal static class AssemblyImage
{
    /// <summary>
    /// True when the file holds a PE image's headers and every byte its sections claim. A file that a killed
    /// writer cut short fails one or the other; loading it would throw BadImageFormatException.
    /// </summary>
    public static bool IsComplete(string path)
    {
        if (!File.Exists(path)) return false;
        using FileStream stream = File.OpenRead(path);
        try
        {
            using var reader = new PEReader(stream, PEStreamOptions.LeaveOpen);
            PEHeaders headers = reader.PEHeaders;
            long end = headers.SectionHeaders.Max(section => (long)section.PointerToRawData + section.SizeOfRawData);
            return headers.CorHeader != null && stream.Length >= end;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
