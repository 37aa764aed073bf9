using System;
using System.Runtime.InteropServices;

namespace KernelBuild.Tasks
{
    /// <summary>
    /// Loads a native library by path or file name and resolves its exports.
    /// netstandard2.0 has no <c>System.Runtime.InteropServices.NativeLibrary</c>, and the task must also run
    /// in Visual Studio's .NET Framework MSBuild, so we call the platform loader directly.
    /// </summary>
    internal static class NativeLibraryLoader
    {
        private static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>Returns the library handle, or <see cref="IntPtr.Zero"/> with the loader's message in <paramref name="error"/>.</summary>
        public static IntPtr TryLoad(string pathOrName, out string? error)
        {
            error = null;
            if (IsWindows)
            {
                IntPtr handle = Interop.Kernel32.LoadLibraryW(pathOrName);
                if (handle == IntPtr.Zero)
                {
                    error = "LoadLibrary failed with Win32 error " + Marshal.GetLastWin32Error();
                }
                return handle;
            }

            IntPtr h = Interop.Libdl.Open(pathOrName);
            if (h == IntPtr.Zero)
            {
                error = Interop.Libdl.LastError();
            }
            return h;
        }

        public static IntPtr GetExport(IntPtr library, string name) =>
            IsWindows ? Interop.Kernel32.GetProcAddress(library, name) : Interop.Libdl.Symbol(library, name);
    }
}
