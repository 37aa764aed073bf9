using System;
using System.Collections.Generic;
using System.IO;

namespace KernelBuild.Tasks.Compiler
{
    /// <summary>
    /// The frames exchanged with a compile worker process over its standard input and output: binary,
    /// length-prefixed (BinaryWriter), so options and logs need no escaping. Shared by both ends.
    /// Request: library, program name, options. Response: succeeded, log, API error, PTX, cubin, then the NVRTC
    /// failure (result, entry point, NVRTC's text) and the source read failure, so that a kernel's error reads the
    /// same whichever lane compiled it.
    /// </summary>
    internal static class WorkerProtocol
    {
        /// <summary>Sent first by the worker, so the task knows it started and speaks this version.</summary>
        public const string Hello = "KernelBuild.NvrtcWorker 2";

        public static void WriteRequest(BinaryWriter writer, string library, string programName, IReadOnlyList<string> options)
        {
            writer.Write(library);
            writer.Write(programName);
            writer.Write(options.Count);
            foreach (string option in options) writer.Write(option);
            writer.Flush();
        }

        /// <summary>Null at the end of the input (the task closed the pipe: the worker exits).</summary>
        public static (string Library, string ProgramName, List<string> Options)? ReadRequest(BinaryReader reader)
        {
            string library;
            try { library = reader.ReadString(); }
            catch (EndOfStreamException) { return null; }
            string programName = reader.ReadString();
            int count = reader.ReadInt32();
            var options = new List<string>(count);
            for (int i = 0; i < count; i++) options.Add(reader.ReadString());
            return (library, programName, options);
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
            return output;
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
