using System;
using System.Runtime.InteropServices;

namespace KernelBuild.Tasks
{
    internal static partial class Interop
    {
        /// <summary>The POSIX dynamic loader. glibc 2.34+ has it in libc; older glibc in libdl.so.2.</summary>
        internal static class Libdl
        {
            private const int RTLD_NOW = 2;

            [DllImport("libdl.so.2", EntryPoint = "dlopen")]
            private static extern IntPtr dlopen_libdl(string? fileName, int flags);

            [DllImport("libdl.so.2", EntryPoint = "dlsym")]
            private static extern IntPtr dlsym_libdl(IntPtr handle, string symbol);

            [DllImport("libdl.so.2", EntryPoint = "dlerror")]
            private static extern IntPtr dlerror_libdl();

            [DllImport("libc", EntryPoint = "dlopen")]
            private static extern IntPtr dlopen_libc(string? fileName, int flags);

            [DllImport("libc", EntryPoint = "dlsym")]
            private static extern IntPtr dlsym_libc(IntPtr handle, string symbol);

            [DllImport("libc", EntryPoint = "dlerror")]
            private static extern IntPtr dlerror_libc();

            // libdl.so.2 exists on every glibc Linux; macOS and musl have the functions in libc.
            private static bool? s_useLibdl;

            private static bool UseLibdl
            {
                get
                {
                    if (s_useLibdl is null)
                    {
                        try { dlerror_libdl(); s_useLibdl = true; }
                        catch (DllNotFoundException) { s_useLibdl = false; }
                    }
                    return s_useLibdl.Value;
                }
            }

            public static IntPtr Open(string path) => UseLibdl ? dlopen_libdl(path, RTLD_NOW) : dlopen_libc(path, RTLD_NOW);

            public static IntPtr Symbol(IntPtr handle, string name) => UseLibdl ? dlsym_libdl(handle, name) : dlsym_libc(handle, name);

            public static string LastError()
            {
                IntPtr message = UseLibdl ? dlerror_libdl() : dlerror_libc();
                return message == IntPtr.Zero ? "unknown dlopen error" : Marshal.PtrToStringAnsi(message) ?? "unknown dlopen error";
            }
        }
    }
}
