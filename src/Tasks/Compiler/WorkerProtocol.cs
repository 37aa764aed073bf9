using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace KernelBuild.Tasks.Compiler
{
    /// <summary>
    /// The frames exchanged with a compile worker process over its standard input and output: binary,
    /// length-prefixed (BinaryWriter), so options and logs need no escaping. Shared by both ends.
    /// A request is one kernel: the NVRTC library, then the kernel's settings. The response is the whole
    /// <see cref="KernelCompileResult"/> (WorkerProtocol.Result.cs): the worker scans, compiles and reads the
    /// signatures itself, so that a kernel's result reads the same whichever lane compiled it, and the build
    /// process runs none of that code (docs/benchmarks.md, twelfth round).
    /// </summary>
    internal static partial class WorkerProtocol
    {
        /// <summary>Sent first by the worker, so the task knows it started and speaks this version.</summary>
        public const string Hello = "KernelBuild.NvrtcWorker 4";

        public static void WriteRequest(BinaryWriter writer, string library, KernelCompileSettings settings)
        {
            writer.Write(library);
            writer.Write(settings.SourcePath);
            writer.Write(settings.RelativePath);
            WriteStrings(writer, settings.Architectures.Select(a => a.Name).ToList());
            CudaOptions options = settings.Options;
            writer.Write(options.LanguageStandard);
            WriteStrings(writer, options.IncludeDirectories);
            WriteStrings(writer, options.DefineConstants);
            writer.Write(options.AdditionalOptions.Count);
            foreach (CudaOption option in options.AdditionalOptions)
            {
                writer.Write((int)option.Kind);
                writer.Write(option.Value);
                writer.Write(option.NvrtcArgument);
            }
            writer.Write(settings.ReadSignatures);
            WriteStrings(writer, settings.Instantiations);
            writer.Flush();
        }

        /// <summary>Null at the end of the input (the task closed the pipe: the worker exits).</summary>
        public static (string Library, KernelCompileSettings Settings)? ReadRequest(BinaryReader reader)
        {
            string library;
            try { library = reader.ReadString(); }
            catch (EndOfStreamException) { return null; }
            var settings = new KernelCompileSettings
            {
                SourcePath = reader.ReadString(),
                RelativePath = reader.ReadString(),
                Architectures = ReadStrings(reader).Select(ParseArchitecture).ToList(),
            };
            string standard = reader.ReadString();
            List<string> includes = ReadStrings(reader);
            List<string> defines = ReadStrings(reader);
            var additional = new CudaOption[reader.ReadInt32()];
            for (int i = 0; i < additional.Length; i++)
            {
                additional[i] = new CudaOption((CudaOptionKind)reader.ReadInt32(), reader.ReadString(), reader.ReadString());
            }
            settings.Options = new CudaOptions(standard, includes, defines, additional);
            settings.ReadSignatures = reader.ReadBoolean();
            settings.Instantiations = ReadStrings(reader);
            return (library, settings);
        }

        private static TargetArchitecture ParseArchitecture(string name) =>
            TargetArchitecture.TryParse(name, out TargetArchitecture? architecture)
                ? architecture!
                : throw new InvalidDataException("the task sent an architecture the worker does not know: '" + name + "'");

        private static void WriteStrings(BinaryWriter writer, IReadOnlyCollection<string> strings)
        {
            writer.Write(strings.Count);
            foreach (string s in strings) writer.Write(s);
        }

        private static List<string> ReadStrings(BinaryReader reader)
        {
            int count = reader.ReadInt32();
            var strings = new List<string>(count);
            for (int i = 0; i < count; i++) strings.Add(reader.ReadString());
            return strings;
        }

        private static void WriteOptional(BinaryWriter writer, string? text)
        {
            writer.Write(text != null);
            if (text != null) writer.Write(text);
        }

        private static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

        private static void WriteBytes(BinaryWriter writer, byte[] bytes)
        {
            writer.Write(bytes.Length);
            writer.Write(bytes);
        }

        private static byte[] ReadBytes(BinaryReader reader) => reader.ReadBytes(reader.ReadInt32());
    }
}
