using System.Text;

namespace KernelBuild.Generator
{
    /// <summary>C# names for kernel files and entry points.</summary>
    internal static class Names
    {
        /// <summary><c>block_sum</c> → <c>BlockSum</c>, <c>saxpy</c> → <c>Saxpy</c>, <c>fft-2d</c> → <c>Fft2d</c>; never empty, never starts with a digit.</summary>
        public static string PascalCase(string name)
        {
            var text = new StringBuilder();
            bool upper = true;
            foreach (char c in name)
            {
                if (!char.IsLetterOrDigit(c))
                {
                    upper = true;
                    continue;
                }
                text.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            if (text.Length == 0 || char.IsDigit(text[0])) text.Insert(0, '_');
            return text.ToString();
        }

        /// <summary>The default class of a kernel source: <c>kernels/block_sum.cu</c> → <c>BlockSumKernels</c>.</summary>
        public static string ClassNameFor(string relativePath)
        {
            string file = relativePath.Substring(relativePath.LastIndexOf('/') + 1);
            int dot = file.IndexOf('.');
            return PascalCase(dot > 0 ? file.Substring(0, dot) : file) + "Kernels";
        }
    }
}
