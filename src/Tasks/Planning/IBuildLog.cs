namespace KernelBuild.Tasks.Planning
{
    /// <summary>
    /// Where planning reports what is wrong with the project. The tasks hand MSBuild's logger in (TaskBuildLog);
    /// tests hand in a list. Every error is a canonical diagnostic (<c>file(line): error KBxxxx: text</c>) whose
    /// text says what to do.
    /// </summary>
    internal interface IBuildLog
    {
        /// <summary>An error in one file; <paramref name="line"/> 0 for the file as a whole.</summary>
        void LogError(string code, string file, int line, string message);

        /// <summary>An error about the project's settings (metadata, properties), located on the project file.</summary>
        void LogProjectError(string code, string message);

        /// <summary>True once any error was logged, by planning or before it.</summary>
        bool HasLoggedErrors { get; }
    }
}
