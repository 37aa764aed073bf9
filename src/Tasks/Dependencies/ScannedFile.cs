namespace KernelBuild.Tasks.Dependencies
{
    /// <summary>A file a kernel's compilation may read, and the hash of the bytes the scanner read from it.</summary>
    public sealed class ScannedFile
    {
        public ScannedFile(string path, string sha256)
        {
            Path = path;
            Sha256 = sha256;
        }

        /// <summary>Absolute, normalized the way the OS resolves the path NVRTC opens (no "." or ".."
        /// components; symbolic links kept except where ".." had to go through one).</summary>
        public string Path { get; }

        /// <summary>Lowercase hex SHA-256 of the file's bytes.</summary>
        public string Sha256 { get; }

        public override string ToString() => Path;
    }
}
