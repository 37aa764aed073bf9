using System;
using System.Runtime.InteropServices;

namespace KernelBuild.Tasks
{
    internal static partial class Interop
    {
        /// <summary>
        /// The NVRTC entry points we use, bound to one loaded copy of the library.
        /// NVRTC's file name carries its version (libnvrtc.so.12, nvrtc64_120_0.dll, …) and the user may point
        /// at any copy, so the library is opened at run time rather than through a fixed DllImport name.
        /// </summary>
        internal sealed class Nvrtc
        {
            [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
            public delegate NvrtcResult VersionFn(out int major, out int minor);
            [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
            public delegate NvrtcResult GetNumSupportedArchsFn(out int count);
            [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
            public delegate NvrtcResult GetSupportedArchsFn([Out] int[] archs);
            [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
            public delegate NvrtcResult CreateProgramFn(out IntPtr program, byte[] source, byte[] name, int numHeaders, IntPtr headers, IntPtr includeNames);
            [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
            public delegate NvrtcResult DestroyProgramFn(ref IntPtr program);
            [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
            public delegate NvrtcResult CompileProgramFn(NvrtcProgramHandle program, int numOptions, IntPtr[] options);
            [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
            public delegate NvrtcResult GetSizeFn(NvrtcProgramHandle program, out UIntPtr size);
            [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
            public delegate NvrtcResult GetBytesFn(NvrtcProgramHandle program, [Out] byte[] buffer);
            [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
            public delegate IntPtr GetErrorStringFn(NvrtcResult result);
            [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
            public delegate NvrtcResult AddNameExpressionFn(NvrtcProgramHandle program, byte[] nameExpression);
            [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
            public delegate NvrtcResult GetLoweredNameFn(NvrtcProgramHandle program, byte[] nameExpression, out IntPtr loweredName);

            public readonly VersionFn Version;
            public readonly GetNumSupportedArchsFn? GetNumSupportedArchs; // NVRTC 11.2+
            public readonly GetSupportedArchsFn? GetSupportedArchs;       // NVRTC 11.2+
            public readonly CreateProgramFn CreateProgram;
            public readonly DestroyProgramFn DestroyProgram;
            public readonly CompileProgramFn CompileProgram;
            public readonly GetSizeFn GetProgramLogSize;
            public readonly GetBytesFn GetProgramLog;
            public readonly GetSizeFn GetPTXSize;
            public readonly GetBytesFn GetPTX;
            public readonly GetSizeFn? GetCUBINSize;                       // NVRTC 11.1+
            public readonly GetBytesFn? GetCUBIN;
            public readonly GetErrorStringFn GetErrorString;
            public readonly AddNameExpressionFn AddNameExpression;           // NVRTC 8.0+
            public readonly GetLoweredNameFn GetLoweredName;

            /// <summary>Binds every entry point; throws <see cref="EntryPointNotFoundException"/> naming a missing required one.</summary>
            public Nvrtc(IntPtr library)
            {
                Version = Required<VersionFn>(library, "nvrtcVersion");
                GetNumSupportedArchs = Optional<GetNumSupportedArchsFn>(library, "nvrtcGetNumSupportedArchs");
                GetSupportedArchs = Optional<GetSupportedArchsFn>(library, "nvrtcGetSupportedArchs");
                CreateProgram = Required<CreateProgramFn>(library, "nvrtcCreateProgram");
                DestroyProgram = Required<DestroyProgramFn>(library, "nvrtcDestroyProgram");
                CompileProgram = Required<CompileProgramFn>(library, "nvrtcCompileProgram");
                GetProgramLogSize = Required<GetSizeFn>(library, "nvrtcGetProgramLogSize");
                GetProgramLog = Required<GetBytesFn>(library, "nvrtcGetProgramLog");
                GetPTXSize = Required<GetSizeFn>(library, "nvrtcGetPTXSize");
                GetPTX = Required<GetBytesFn>(library, "nvrtcGetPTX");
                GetCUBINSize = Optional<GetSizeFn>(library, "nvrtcGetCUBINSize");
                GetCUBIN = Optional<GetBytesFn>(library, "nvrtcGetCUBIN");
                GetErrorString = Required<GetErrorStringFn>(library, "nvrtcGetErrorString");
                AddNameExpression = Required<AddNameExpressionFn>(library, "nvrtcAddNameExpression");
                GetLoweredName = Required<GetLoweredNameFn>(library, "nvrtcGetLoweredName");
            }

            /// <summary>NVRTC's own text for a result (its enumerator's name, e.g. NVRTC_ERROR_INTERNAL_ERROR).</summary>
            public string ErrorString(NvrtcResult result) =>
                Marshal.PtrToStringAnsi(GetErrorString(result)) ?? ("nvrtcResult " + (int)result);

            private static T Required<T>(IntPtr library, string name) where T : Delegate =>
                Optional<T>(library, name) ?? throw new EntryPointNotFoundException("NVRTC export '" + name + "' not found");

            private static T? Optional<T>(IntPtr library, string name) where T : Delegate
            {
                IntPtr address = NativeLibraryLoader.GetExport(library, name);
                return address == IntPtr.Zero ? null : Marshal.GetDelegateForFunctionPointer<T>(address);
            }
        }
    }

    /// <summary>An <c>nvrtcProgram</c>, destroyed exactly once even when a compile throws.</summary>
    internal sealed class NvrtcProgramHandle : SafeHandle
    {
        private readonly Interop.Nvrtc _nvrtc;

        public NvrtcProgramHandle(Interop.Nvrtc nvrtc, IntPtr program) : base(IntPtr.Zero, ownsHandle: true)
        {
            _nvrtc = nvrtc;
            SetHandle(program);
        }

        public override bool IsInvalid => handle == IntPtr.Zero;

        protected override bool ReleaseHandle()
        {
            IntPtr program = handle;
            return _nvrtc.DestroyProgram(ref program) == NvrtcResult.Success;
        }
    }
}
