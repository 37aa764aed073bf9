using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace KernelBuild.Tasks
{
    internal static partial class Interop
    {
        internal static partial class Libc
        {
            // realpath(3) writes at most PATH_MAX bytes (4096 on Linux, 1024 on macOS) into the buffer.
            private const int PathMax = 4096;

            [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
            private static extern unsafe byte* realpath(byte* path, byte* resolvedPath);

            /// <summary>
            /// The canonical absolute path of <paramref name="path"/> with every symbolic link, "." and ".."
            /// resolved by the OS, or null when the path does not resolve (a component is missing, is not a
            /// directory, is not searchable, or links loop). netstandard2.0 has no API for this.
            /// </summary>
            /// <exception cref="IOException">realpath failed for another reason (out of memory, I/O error).</exception>
            internal static unsafe string? RealPath(string path)
            {
                if (path.IndexOf('\0') >= 0)
                    return null;
                byte[] encoded = new byte[Encoding.UTF8.GetMaxByteCount(path.Length) + 1];
                int length = Encoding.UTF8.GetBytes(path, 0, path.Length, encoded, 0);
                encoded[length] = 0;

                byte* resolved = stackalloc byte[PathMax + 1];
                fixed (byte* pathBytes = encoded)
                {
                    if (realpath(pathBytes, resolved) == null)
                    {
                        int errno = Marshal.GetLastWin32Error();
                        if (IsUnresolvable(errno))
                            return null;
                        throw new IOException("realpath(\"" + path + "\") failed with errno " + errno + ".");
                    }
                }
                int n = 0;
                while (resolved[n] != 0)
                    n++;
                return Encoding.UTF8.GetString(resolved, n);
            }

            // The errors that mean "no such file here now", as opposed to a failure of the call itself.
            // ENOENT, EACCES and ENOTDIR have the same numbers on Linux and macOS; ELOOP and ENAMETOOLONG do not.
            private static bool IsUnresolvable(int errno)
            {
                const int ENOENT = 2, EACCES = 13, ENOTDIR = 20;
                if (errno == ENOENT || errno == EACCES || errno == ENOTDIR)
                    return true;
                bool mac = RuntimeInformation.IsOSPlatform(OSPlatform.OSX);
                int eloop = mac ? 62 : 40, enametoolong = mac ? 63 : 36;
                return errno == eloop || errno == enametoolong;
            }
        }
    }
}
