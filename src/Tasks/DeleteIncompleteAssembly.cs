using System;
using System.IO;
using System.Linq;
using KernelBuild.Tasks.Diagnostics;
using KernelBuild.Tasks.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace KernelBuild.Tasks
{
    /// <summary>
    /// Runs before the C# compile. The compiler writes the assembly, the reference assembly and the PDB in place, so a
    /// build killed while it writes leaves files cut short that are newer than every input: CoreCompile, deciding by
    /// file times, would keep them, and the kernels the assembly embeds would be lost (docs/reliability.md, "A killed
    /// C# compile"). When one of them is cut short, all three are deleted here, so that CoreCompile runs again.
    /// </summary>
    public sealed class DeleteIncompleteAssembly : Task
    {
        /// <summary>@(IntermediateAssembly): the compiler's output in obj/.</summary>
        [Required] public string Assembly { get; set; } = "";

        /// <summary>@(IntermediateRefAssembly), when the project makes one.</summary>
        public string? ReferenceAssembly { get; set; }

        /// <summary>The compiler's PDB in obj/, when it writes one (a Windows PDB is not judged, only deleted with the rest).</summary>
        public string? DebugSymbols { get; set; }

        public override bool Execute()
        {
            string[] outputs = new[] { Assembly, ReferenceAssembly, DebugSymbols }
                .Where(path => !string.IsNullOrEmpty(path) && File.Exists(path)).Select(path => path!).ToArray();
            string? cut = outputs.Select(Incomplete).FirstOrDefault(why => why != null);
            if (cut == null) return true;
            Log.LogMessage(MessageImportance.High,
                $"KernelBuild: {cut}: the last C# compile of this project was interrupted; compiling the assembly again.");
            foreach (string output in outputs)
            {
                try
                {
                    File.Delete(output);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    new TaskBuildLog(Log, BuildEngine.ProjectFileOfTaskNode).LogError(KbErrors.WriteFailed, output, 0,
                        $"{cut}, and {output} could not be deleted: {e.Message} Delete it, or run `dotnet clean`, and build again.");
                    return false;
                }
            }
            return true;
        }

        /// <summary>"path is cut short (why)", or null when the file is whole or cannot be read now.</summary>
        private string? Incomplete(string path)
        {
            string? why;
            try
            {
                why = CompilerOutputFile.WhyIncomplete(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // Another build of the project is writing it (on Unix .NET locks a file it writes, and a reader's open
                // fails while it does; seen with two overlapping builds). That compile is not over, so this is no
                // file a kill cut short; the C# compile of this build judges it by its time, as without KernelBuild.
                Log.LogMessage(MessageImportance.Low, "KernelBuild: {0} could not be read to check that it is whole ({1}); left as it is.", path, e.Message);
                return null;
            }
            return why == null ? null : $"{path} is cut short ({why})";
        }
    }
}
