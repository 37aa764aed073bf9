using System;
using System.IO;
using System.Linq;

namespace KernelBuild.Tasks.Output
{
    /// <summary>
    /// Writes files so that a reader sees either the old or the new bytes, never half of them, and leaves a file
    /// whose bytes would not change untouched (its timestamp too), so that nothing downstream reruns.
    /// </summary>
    internal static class AtomicFile
    {
        /// <summary>Returns true when the file was (re)written, false when it already held these bytes.</summary>
        public static bool WriteIfChanged(string path, byte[] content)
        {
            if (HasContent(path, content))
            {
                return false;
            }
            Write(path, content);
            return true;
        }

        /// <summary>Writes to a temporary file beside the target, then renames it over the target.</summary>
        public static void Write(string path, byte[] content)
        {
            string? directory = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
            string temporary = path + ".tmp-" + Guid.NewGuid().ToString("N").Substring(0, 8);
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
                {
                    stream.Write(content, 0, content.Length);
                }
                if (File.Exists(path))
                {
                    File.Replace(temporary, path, destinationBackupFileName: null);
                }
                else
                {
                    File.Move(temporary, path);
                }
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
        }

        /// <summary>Deletes a file if present; a missing file is not an error.</summary>
        public static void DeleteIfExists(string path)
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }

        private static bool HasContent(string path, byte[] content)
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length != content.Length)
            {
                return false;
            }
            return File.ReadAllBytes(path).SequenceEqual(content);
        }
    }
}
