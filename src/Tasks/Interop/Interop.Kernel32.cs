using System;
using System.Runtime.InteropServices;

namespace KernelBuild.Tasks
{
    internal static partial class Interop
    {
        /// <summary>The Windows loader.</summary>
        internal static class Kernel32
        {
            [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            public static extern IntPtr LoadLibraryW(string fileName);

            [DllImport("kernel32.dll", CharSet = CharSet.Ansi, ExactSpelling = true)]
            public static extern IntPtr GetProcAddress(IntPtr module, string procName);
        }
    }
}
