using System;
using System.Runtime.InteropServices;

namespace KernelBuild.Tasks
{
    internal static partial class Interop
    {
        internal static partial class Libc
        {
            private const int AT_FDCWD = -100;
            private const uint STATX_BASIC_STATS = 0x7ff;

            // struct statx has the same layout on every Linux architecture (unlike struct stat), which is why
            // we use it: one binding for x64 and arm64. 256 bytes; offsets below are from <linux/stat.h>.
            [StructLayout(LayoutKind.Explicit, Size = 256)]
            internal struct StatxBuffer
            {
                [FieldOffset(28)] public ushort Mode;
                [FieldOffset(32)] public ulong Inode;
                [FieldOffset(40)] public ulong Size;
                [FieldOffset(96)] public long ChangeSeconds;
                [FieldOffset(104)] public uint ChangeNanoseconds;
                [FieldOffset(112)] public long ModifySeconds;
                [FieldOffset(120)] public uint ModifyNanoseconds;
            }

            /// <summary>The file type bits of <see cref="StatxBuffer.Mode"/> (S_IFMT) and a regular file's (S_IFREG).</summary>
            internal const ushort FileTypeMask = 0xF000, RegularFile = 0x8000;

            [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
            private static extern int statx(int dirfd, byte[] utf8Path, int flags, uint mask, out StatxBuffer buffer);

            private static bool s_statxMissing;

            // netstandard2.0 has no UTF-8 string marshalling; file names on Linux are bytes, UTF-8 by convention.
            private static byte[] NullTerminatedUtf8(string text)
            {
                int length = System.Text.Encoding.UTF8.GetByteCount(text);
                var bytes = new byte[length + 1];
                System.Text.Encoding.UTF8.GetBytes(text, 0, text.Length, bytes, 0);
                return bytes;
            }

            /// <summary>
            /// stat() with the inode change time, which no .NET API exposes. Returns false with
            /// <paramref name="exists"/> = false when the file is absent, and false with exists = true when statx is
            /// unavailable (glibc before 2.28, non-Linux), so the caller falls back to managed APIs.
            /// </summary>
            public static bool TryStatx(string path, out StatxBuffer buffer, out bool exists)
            {
                buffer = default;
                exists = true;
                if (s_statxMissing)
                {
                    return false;
                }
                try
                {
                    if (statx(AT_FDCWD, NullTerminatedUtf8(path), 0, STATX_BASIC_STATS, out buffer) == 0)
                    {
                        return true;
                    }
                    int errno = Marshal.GetLastWin32Error();
                    const int ENOENT = 2, ENOTDIR = 20, ENOSYS = 38;
                    if (errno == ENOSYS)
                    {
                        s_statxMissing = true;
                        return false;
                    }
                    exists = !(errno == ENOENT || errno == ENOTDIR);
                    return false;
                }
                catch (Exception e) when (e is EntryPointNotFoundException || e is DllNotFoundException)
                {
                    s_statxMissing = true;
                    return false;
                }
            }
        }
    }
}
