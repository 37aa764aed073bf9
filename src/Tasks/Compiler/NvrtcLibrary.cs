using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace KernelBuild.Tasks.Compiler
{
    /// <summary>What one NVRTC compile produced.</summary>
    internal sealed class NvrtcCompileOutput
    {
        public bool Succeeded { get; set; }
        /// <summary>NVRTC's log (diagnostics), possibly empty.</summary>
        public string Log { get; set; } = "";
        public byte[]? Ptx { get; set; }
        /// <summary>Null for compute_XX targets (NVRTC produces no cubin for them).</summary>
        public byte[]? Cubin { get; set; }
        /// <summary>Set when NVRTC rejected an option (NVRTC_ERROR_INVALID_OPTION); the log says which.</summary>
        public string? ApiError { get; set; }
        /// <summary>Set when an NVRTC call failed for another reason than the source's errors or an option.</summary>
        public NvrtcException? NvrtcFailure { get; set; }
        /// <summary>Set when the source could not be read: the reason, naming the file.</summary>
        public string? ReadFailure { get; set; }
        /// <summary>Each name expression of the request and NVRTC's lowered name for it (after a successful compile).</summary>
        public Dictionary<string, string> LoweredNames { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
    }

    /// <summary>
    /// One loaded NVRTC library. Loaded once per path per process (MSBuild nodes are reused across builds,
    /// and a native library cannot be unloaded safely), then shared by every compile.
    /// </summary>
    internal sealed class NvrtcLibrary
    {
        private static readonly Dictionary<string, NvrtcLibrary> s_loaded = new Dictionary<string, NvrtcLibrary>(StringComparer.Ordinal);

        private readonly Interop.Nvrtc _api;

        private NvrtcLibrary(string path, Interop.Nvrtc api)
        {
            Path = path;
            _api = api;
            Check(_api.Version(out int major, out int minor), "nvrtcVersion");
            Version = new Version(major, minor);
            SupportedArchitectures = ReadSupportedArchitectures();
        }

        /// <summary>The file (or bare name) the library was loaded from.</summary>
        public string Path { get; }
        public Version Version { get; }
        /// <summary>Compute capabilities as integers (80 for 8.0), ascending. Empty when NVRTC cannot say (before 11.2).</summary>
        public IReadOnlyList<int> SupportedArchitectures { get; }

        /// <summary>
        /// Whether compiles on several threads of one process run concurrently. NVIDIA documents this from
        /// CUDA 12.3; before, NVRTC serializes them (measured: 8 compiles, 1 thread 5.28 s, 2 threads 5.49 s).
        /// </summary>
        public bool CompilesConcurrently => Version >= new Version(12, 3);

        /// <summary>"NVRTC 11.8", as written in the manifest.</summary>
        public string DisplayName => "NVRTC " + Version.Major + "." + Version.Minor;

        /// <summary>
        /// Loads NVRTC from a located path, or by trying each known name through the loader's search.
        /// Throws <see cref="NvrtcNotFoundException"/> with everything that was tried.
        /// </summary>
        public static NvrtcLibrary Load(NvrtcLocation location)
        {
            var attempts = new List<string>(location.Probed);
            IEnumerable<string> candidates = location.Found
                ? new[] { location.Path! }
                : location.FromLoaderSearch
                    ? (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? NvrtcLocator.WindowsNames : NvrtcLocator.LinuxNames)
                    : Enumerable.Empty<string>();

            lock (s_loaded)
            {
                foreach (string candidate in candidates)
                {
                    if (s_loaded.TryGetValue(candidate, out NvrtcLibrary? cached))
                    {
                        return cached;
                    }
                    IntPtr handle = NativeLibraryLoader.TryLoad(candidate, out string? error);
                    if (handle == IntPtr.Zero)
                    {
                        if (location.Found)
                        {
                            throw new NvrtcNotFoundException(attempts, candidate + " exists but could not be loaded: " + error);
                        }
                        continue;
                    }
                    try
                    {
                        var library = new NvrtcLibrary(candidate, new Interop.Nvrtc(handle));
                        s_loaded[candidate] = library;
                        return library;
                    }
                    catch (Exception e) when (e is EntryPointNotFoundException || e is NvrtcException)
                    {
                        throw new NvrtcNotFoundException(attempts, candidate + " is not a usable NVRTC: " + e.Message);
                    }
                }
            }
            throw new NvrtcNotFoundException(attempts, null);
        }

        /// <summary>Loads NVRTC from a file path, or by a bare file name through the loader's search.</summary>
        public static NvrtcLibrary LoadFrom(string pathOrName) =>
            Load(System.IO.Path.IsPathRooted(pathOrName)
                ? new NvrtcLocation(pathOrName, false, new[] { pathOrName })
                : new NvrtcLocation(null, true, new string[0]));

        /// <summary>
        /// Reads and compiles one source file. Never throws for this file's sake: a source that cannot be read and a
        /// failed NVRTC call come back in the output, so that they become this kernel's error, in this process and
        /// in a worker process alike.
        /// </summary>
        public NvrtcCompileOutput CompileFile(NvrtcCompileRequest request)
        {
            byte[] source;
            try
            {
                source = WithSuffix(File.ReadAllBytes(request.ProgramName), request.SourceSuffix);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return new NvrtcCompileOutput { ReadFailure = e.Message };
            }
            try
            {
                return Compile(source, request.ProgramName, request.Options, request.NameExpressions);
            }
            catch (NvrtcException e)
            {
                return new NvrtcCompileOutput { NvrtcFailure = e };
            }
        }

        /// <summary>Compiles one program. Thread-safe (NVRTC serializes internally before CUDA 12.3).</summary>
        /// <param name="programName">Absolute path of the source: NVRTC searches quoted includes beside it.</param>
        /// <exception cref="NvrtcException">An NVRTC call failed other than for errors in the source or an invalid option.</exception>
        public NvrtcCompileOutput Compile(byte[] source, string programName, IReadOnlyList<string> options, IReadOnlyList<string>? nameExpressions = null)
        {
            var output = new NvrtcCompileOutput();
            Check(_api.CreateProgram(out IntPtr raw, NullTerminated(WithoutByteOrderMark(source)), NullTerminated(Encoding.UTF8.GetBytes(programName)), 0, IntPtr.Zero, IntPtr.Zero),
                "nvrtcCreateProgram");

            using var program = new NvrtcProgramHandle(_api, raw);
            foreach (string expression in nameExpressions ?? new string[0])
            {
                Check(_api.AddNameExpression(program, NullTerminated(Encoding.UTF8.GetBytes(expression))), "nvrtcAddNameExpression");
            }
            NvrtcResult compiled = CompileProgram(program, options);
            output.Log = ReadText(program, "nvrtcGetProgramLogSize", _api.GetProgramLogSize, "nvrtcGetProgramLog", _api.GetProgramLog);
            switch (compiled)
            {
                case NvrtcResult.Success:
                    break;
                case NvrtcResult.Compilation:
                    return output; // the reasons are NVRTC's diagnostics in the log
                case NvrtcResult.InvalidOption:
                    output.ApiError = "nvrtcCompileProgram: " + _api.ErrorString(compiled); // the log names the option
                    return output;
                default:
                    throw new NvrtcException(compiled, "nvrtcCompileProgram", _api.ErrorString(compiled));
            }

            output.Ptx = TrimTrailingNul(ReadBytes(program, "nvrtcGetPTXSize", _api.GetPTXSize, "nvrtcGetPTX", _api.GetPTX));
            if (_api.GetCUBINSize != null && _api.GetCUBIN != null)
            {
                byte[] cubin = ReadBytes(program, "nvrtcGetCUBINSize", _api.GetCUBINSize, "nvrtcGetCUBIN", _api.GetCUBIN);
                output.Cubin = cubin.Length == 0 ? null : cubin;
            }
            foreach (string expression in nameExpressions ?? new string[0])
            {
                Check(_api.GetLoweredName(program, NullTerminated(Encoding.UTF8.GetBytes(expression)), out IntPtr lowered), "nvrtcGetLoweredName");
                output.LoweredNames[expression] = Marshal.PtrToStringAnsi(lowered) ?? "";
            }
            output.Succeeded = true;
            return output;
        }

        /// <summary>The source with KernelBuild's appended text: a line break first, so the user's last line stays as written.</summary>
        private static byte[] WithSuffix(byte[] source, string suffix) =>
            suffix.Length == 0 ? source : source.Concat(Encoding.UTF8.GetBytes("\n" + suffix)).ToArray();

        private NvrtcResult CompileProgram(NvrtcProgramHandle program, IReadOnlyList<string> options)
        {
            var optionPointers = new IntPtr[options.Count];
            try
            {
                for (int i = 0; i < options.Count; i++)
                {
                    optionPointers[i] = Utf8ToHGlobal(options[i]);
                }
                return _api.CompileProgram(program, optionPointers.Length, optionPointers);
            }
            finally
            {
                foreach (IntPtr p in optionPointers)
                {
                    if (p != IntPtr.Zero) Marshal.FreeHGlobal(p);
                }
            }
        }

        private IReadOnlyList<int> ReadSupportedArchitectures()
        {
            if (_api.GetNumSupportedArchs == null || _api.GetSupportedArchs == null)
            {
                return Array.Empty<int>();
            }
            Check(_api.GetNumSupportedArchs(out int count), "nvrtcGetNumSupportedArchs");
            var archs = new int[count];
            Check(_api.GetSupportedArchs(archs), "nvrtcGetSupportedArchs");
            Array.Sort(archs);
            return archs;
        }

        private byte[] ReadBytes(NvrtcProgramHandle program, string sizeEntryPoint, Interop.Nvrtc.GetSizeFn size, string entryPoint, Interop.Nvrtc.GetBytesFn get)
        {
            Check(size(program, out UIntPtr length), sizeEntryPoint);
            var buffer = new byte[(int)length.ToUInt64()];
            if (buffer.Length > 0)
            {
                Check(get(program, buffer), entryPoint);
            }
            return buffer;
        }

        private string ReadText(NvrtcProgramHandle program, string sizeEntryPoint, Interop.Nvrtc.GetSizeFn size, string entryPoint, Interop.Nvrtc.GetBytesFn get) =>
            Encoding.UTF8.GetString(TrimTrailingNul(ReadBytes(program, sizeEntryPoint, size, entryPoint, get)));

        /// <summary>The boundary: every failed NVRTC call becomes an <see cref="NvrtcException"/> with NVRTC's own text.</summary>
        private void Check(NvrtcResult result, string entryPoint)
        {
            if (result != NvrtcResult.Success)
            {
                throw new NvrtcException(result, entryPoint, _api.ErrorString(result));
            }
        }

        /// <summary>NVRTC 11.8 rejects a UTF-8 byte-order mark at the start of a source; the text after it is what the
        /// user wrote. (A header with one is reported as KB1008: NVRTC reads headers itself.)</summary>
        private static byte[] WithoutByteOrderMark(byte[] source) =>
            source.Length >= 3 && source[0] == 0xEF && source[1] == 0xBB && source[2] == 0xBF
                ? source.Skip(3).ToArray()
                : source;

        private static byte[] NullTerminated(byte[] bytes)
        {
            var copy = new byte[bytes.Length + 1];
            Buffer.BlockCopy(bytes, 0, copy, 0, bytes.Length);
            return copy;
        }

        private static byte[] TrimTrailingNul(byte[] bytes)
        {
            int length = bytes.Length;
            while (length > 0 && bytes[length - 1] == 0) length--;
            if (length == bytes.Length) return bytes;
            var trimmed = new byte[length];
            Buffer.BlockCopy(bytes, 0, trimmed, 0, length);
            return trimmed;
        }

        private static IntPtr Utf8ToHGlobal(string text)
        {
            byte[] bytes = NullTerminated(Encoding.UTF8.GetBytes(text));
            IntPtr p = Marshal.AllocHGlobal(bytes.Length);
            Marshal.Copy(bytes, 0, p, bytes.Length);
            return p;
        }
    }

    /// <summary>NVRTC could not be found or loaded; the message lists every place looked at and how to install it.</summary>
    internal sealed class NvrtcNotFoundException : Exception
    {
        public NvrtcNotFoundException(IReadOnlyList<string> probed, string? detail)
            : base(BuildMessage(probed, detail))
        {
        }

        private static string BuildMessage(IReadOnlyList<string> probed, string? detail)
        {
            var text = new StringBuilder();
            text.Append(detail ?? "NVRTC (the CUDA runtime compiler library) was not found.");
            text.Append(" Looked in: ").Append(string.Join("; ", probed)).Append('.');
            text.Append(" To fix: install NVRTC (Debian: enable the non-free component and 'apt-get install libnvrtc11.2 libnvrtc-builtins11.8';")
                .Append(" Ubuntu: 'apt-get install nvidia-cuda-toolkit' or the CUDA Toolkit; Windows: the CUDA Toolkit, which sets CUDA_PATH),")
                .Append(" or set the NvrtcPath property to the library file or its folder.");
            return text.ToString();
        }
    }
}
