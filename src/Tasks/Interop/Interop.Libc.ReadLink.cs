using System.Runtime.InteropServices;
using System.Text;

namespace KernelBuild.Tasks
{
    internal static partial class Interop
    {
        internal static partial class Libc
        {
            [DllImport("libc", EntryPoint = "readlink", SetLastError = true)]
            private static extern unsafe nint readlink(byte* path, byte* buffer, nuint size);

            /// <summary>
            /// What the symbolic link at <paramref name="path"/> points to, as written in the link (possibly relative
            /// to the link's folder); null when the path is not a symbolic link or cannot be read. netstandard2.0 has no
            /// API for this (FileSystemInfo.LinkTarget is .NET 6+).
            /// </summary>
            internal static unsafe string? ReadLink(string path)
            {
                if (path.IndexOf('\0') >= 0)
                    return null;
                byte[] encoded = new byte[Encoding.UTF8.GetMaxByteCount(path.Length) + 1];
                int length = Encoding.UTF8.GetBytes(path, 0, path.Length, encoded, 0);
                encoded[length] = 0;

                byte* target = stackalloc byte[PathMax];
                fixed (byte* pathBytes = encoded)
                {
                    // readlink does not terminate the text; a result of the full buffer may have been cut short.
                    nint count = readlink(pathBytes, target, (nuint)PathMax);
                    return count <= 0 || count >= PathMax ? null : Encoding.UTF8.GetString(target, (int)count);
                }
            }
        }
    }
}
