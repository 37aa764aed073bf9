using System;
using System.Collections.Generic;
using System.IO;

namespace KernelBuild.Tasks.Compiler
{
    /// <summary>
    /// The frames exchanged with a compile worker process over its standard input and output: binary,
    /// length-prefixed (BinaryWriter), so options and logs need no escaping. Shared by both ends.
    /// Request: library, program name, options, source suffix, name expressions. Response: succeeded, log, API error,
    /// PTX, cubin, then the NVRTC failure (result, entry point, NVRTC's text), the source read failure and the lowered
    /// names, so that a kernel's result reads the same whichever lane compiled it.
    /// </summary>
    internal static class WorkerProtocol
    {
        /// <summary>Sent first by the worker, so the task knows it started and speaks this version.</summary>
        public const string Hello = "KernelBuild.NvrtcWorker 3";

        public static void WriteRequest(BinaryWriter writer, string library, NvrtcCompileRequest request)
        {
            writer.Write(library);
            writer.Write(request.ProgramName);
            WriteStrings(writer, request.Options);
            writer.Write(request.SourceSuffix);
            WriteStrings(writer, request.NameExpressions);
            writer.Flush();
        }

        /// <summary>Null at the end of the input (the task closed the pipe: the worker exits).</summary>
        public static (string Library, NvrtcCompileRequest Request)? ReadRequest(BinaryReader reader)
        {
            string library;
            try { library = reader.ReadString(); }
            catch (EndOfStreamException) { return null; }
            string programName = reader.ReadString();
            var request = new NvrtcCompileRequest(programName, ReadStrings(reader))
            {
                SourceSuffix = reader.ReadString(),
                NameExpressions = ReadStrings(reader),
            };
            return (library, request);
        }

        public static void WriteResponse(BinaryWriter writer, NvrtcCompileOutput output)
        {
            writer.Write(output.Succeeded);
            writer.Write(output.Log);
            writer.Write(output.ApiError ?? "");
            WriteBytes(writer, output.Ptx);
            WriteBytes(writer, output.Cubin);
            WriteFailure(writer, output.NvrtcFailure);
            writer.Write(output.ReadFailure ?? "");
            writer.Write(output.LoweredNames.Count);
            foreach (KeyValuePair<string, string> lowered in output.LoweredNames)
            {
                writer.Write(lowered.Key);
                writer.Write(lowered.Value);
            }
            writer.Flush();
        }

        public static NvrtcCompileOutput ReadResponse(BinaryReader reader)
        {
            var output = new NvrtcCompileOutput
            {
                Succeeded = reader.ReadBoolean(),
                Log = reader.ReadString(),
            };
            string apiError = reader.ReadString();
            output.ApiError = apiError.Length == 0 ? null : apiError;
            output.Ptx = ReadBytes(reader);
            output.Cubin = ReadBytes(reader);
            output.NvrtcFailure = ReadFailure(reader);
            string readFailure = reader.ReadString();
            output.ReadFailure = readFailure.Length == 0 ? null : readFailure;
            int lowered = reader.ReadInt32();
            for (int i = 0; i < lowered; i++) output.LoweredNames[reader.ReadString()] = reader.ReadString();
            return output;
        }

        private static void WriteStrings(BinaryWriter writer, IReadOnlyList<string> strings)
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

        private static void WriteFailure(BinaryWriter writer, NvrtcException? failure)
        {
            writer.Write(failure != null);
            if (failure == null) return;
            writer.Write((int)failure.Result);
            writer.Write(failure.EntryPoint);
            writer.Write(failure.NvrtcMessage);
        }

        private static NvrtcException? ReadFailure(BinaryReader reader)
        {
            if (!reader.ReadBoolean()) return null;
            var result = (NvrtcResult)reader.ReadInt32();
            string entryPoint = reader.ReadString();
            return new NvrtcException(result, entryPoint, reader.ReadString());
        }

        private static void WriteBytes(BinaryWriter writer, byte[]? bytes)
        {
            writer.Write(bytes == null ? -1 : bytes.Length);
            if (bytes != null) writer.Write(bytes);
        }

        private static byte[]? ReadBytes(BinaryReader reader)
        {
            int length = reader.ReadInt32();
            return length < 0 ? null : reader.ReadBytes(length);
        }
    }
}
