using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using KernelBuild.Tasks.Diagnostics;
using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.Output;
using KernelBuild.Tasks.Scanning;

namespace KernelBuild.Tasks.Compiler
{
    /// <summary>
    /// A kernel's result on the pipe, field by field in the order <see cref="KernelCompileResult"/> declares them:
    /// succeeded; NVRTC's diagnostics; API errors; faults; the include scan (files with hash and stamp, absent probes,
    /// warnings, complete); the images by architecture; the entry points; the signature file's entry lines and the
    /// entries that got no launcher; the timings. Signatures travel as the lines the signature file gets, as a remote
    /// cache stores them (<see cref="KernelCompileResult.SignatureEntries"/>).
    /// </summary>
    internal static partial class WorkerProtocol
    {
        public static void WriteResult(BinaryWriter writer, KernelCompileResult result)
        {
            writer.Write(result.Succeeded);
            writer.Write(result.Diagnostics.Count);
            foreach (NvrtcDiagnostic d in result.Diagnostics)
            {
                WriteOptional(writer, d.File);
                writer.Write(d.Line);
                writer.Write(d.Column);
                writer.Write((int)d.Severity);
                writer.Write(d.Code);
                writer.Write(d.Message);
            }
            WriteStrings(writer, result.Errors);
            writer.Write(result.Faults.Count);
            foreach (KernelFault fault in result.Faults)
            {
                writer.Write(fault.Code);
                writer.Write(fault.Message);
                WriteOptional(writer, fault.File);
                writer.Write(fault.Line);
            }
            WriteScan(writer, result.Dependencies);
            writer.Write(result.Images.Count);
            foreach (KeyValuePair<TargetArchitecture, byte[]> image in result.Images)
            {
                writer.Write(image.Key.Name);
                WriteBytes(writer, image.Value);
            }
            WriteStrings(writer, result.EntryPoints);
            writer.Write(result.SignatureEntryLines);
            List<EntrySignature> problems = result.Signatures.Where(s => s.Problem != null).ToList();
            writer.Write(problems.Count);
            foreach (EntrySignature entry in problems)
            {
                writer.Write(entry.EntryPoint);
                writer.Write(entry.CppName);
                writer.Write(entry.Line);
                writer.Write(entry.Problem!);
            }
            writer.Write(result.Elapsed.Ticks);
            writer.Write(result.ScanElapsed.Ticks);
            writer.Write(result.SignatureElapsed.Ticks);
            writer.Write(result.SeparatelyProbed);
            writer.Flush();
        }

        /// <summary>The result of compiling <paramref name="settings"/>, as the worker sent it.</summary>
        public static KernelCompileResult ReadResult(BinaryReader reader, KernelCompileSettings settings)
        {
            var result = new KernelCompileResult(settings) { Succeeded = reader.ReadBoolean() };
            int diagnostics = reader.ReadInt32();
            for (int i = 0; i < diagnostics; i++)
            {
                string? file = ReadOptional(reader);
                int line = reader.ReadInt32(), column = reader.ReadInt32();
                var severity = (DiagnosticSeverity)reader.ReadInt32();
                result.Diagnostics.Add(new NvrtcDiagnostic(file, line, column, severity, reader.ReadString(), reader.ReadString()));
            }
            result.Errors.AddRange(ReadStrings(reader));
            int faults = reader.ReadInt32();
            for (int i = 0; i < faults; i++)
            {
                var fault = new KernelFault(reader.ReadString(), reader.ReadString()) { File = ReadOptional(reader) };
                fault.Line = reader.ReadInt32();
                result.Faults.Add(fault);
            }
            result.Dependencies = ReadScan(reader);
            int images = reader.ReadInt32();
            for (int i = 0; i < images; i++)
            {
                string name = reader.ReadString();
                TargetArchitecture architecture = settings.Architectures.FirstOrDefault(a => a.Name == name)
                    ?? throw new InvalidDataException("the worker sent an image for " + name + ", which this kernel does not build");
                result.Images[architecture] = ReadBytes(reader);
            }
            result.EntryPoints = ReadStrings(reader);
            result.SignatureEntries = reader.ReadString();
            int problems = reader.ReadInt32();
            for (int i = 0; i < problems; i++)
            {
                result.Signatures.Add(new EntrySignature { EntryPoint = reader.ReadString(), CppName = reader.ReadString(), Line = reader.ReadInt32(), Problem = reader.ReadString() });
            }
            result.Elapsed = TimeSpan.FromTicks(reader.ReadInt64());
            result.ScanElapsed = TimeSpan.FromTicks(reader.ReadInt64());
            result.SignatureElapsed = TimeSpan.FromTicks(reader.ReadInt64());
            result.SeparatelyProbed = reader.ReadInt32();
            return result;
        }

        private static void WriteScan(BinaryWriter writer, IncludeScanResult? scan)
        {
            writer.Write(scan != null);
            if (scan == null) return;
            writer.Write(scan.Files.Count);
            foreach (ScannedFile file in scan.Files)
            {
                writer.Write(file.Path);
                writer.Write(file.Sha256);
                FileStamp stamp = file.StampBeforeRead;
                writer.Write(stamp.Exists);
                writer.Write(stamp.Size);
                writer.Write(stamp.ModifiedTicks);
                writer.Write(stamp.ChangedTicks);
                writer.Write(stamp.Inode);
            }
            WriteStrings(writer, scan.AbsentProbes);
            writer.Write(scan.Warnings.Count);
            foreach (ScanDiagnostic warning in scan.Warnings)
            {
                writer.Write(warning.File);
                writer.Write(warning.Line);
                writer.Write(warning.Message);
            }
            writer.Write(scan.Complete);
        }

        private static IncludeScanResult? ReadScan(BinaryReader reader)
        {
            if (!reader.ReadBoolean()) return null;
            var files = new ScannedFile[reader.ReadInt32()];
            for (int i = 0; i < files.Length; i++)
            {
                string path = reader.ReadString(), sha256 = reader.ReadString();
                var stamp = new FileStamp(reader.ReadBoolean(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64());
                files[i] = new ScannedFile(path, sha256, stamp);
            }
            List<string> absent = ReadStrings(reader);
            var warnings = new ScanDiagnostic[reader.ReadInt32()];
            for (int i = 0; i < warnings.Length; i++)
            {
                warnings[i] = new ScanDiagnostic(reader.ReadString(), reader.ReadInt32(), reader.ReadString());
            }
            return new IncludeScanResult(files, absent, warnings, reader.ReadBoolean());
        }
    }
}
