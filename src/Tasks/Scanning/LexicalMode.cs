namespace KernelBuild.Tasks.Scanning
{
    /// <summary>
    /// The lexical rules that differ between C++ dialects in ways that move comment and literal
    /// boundaries. NVRTC's dialect comes from -std, and its default differs between releases (NVRTC 11.8
    /// as installed here defaults to C++03; NVRTC 12 to C++17), so a file is scanned under each mode
    /// its text could be sensitive to and the directives found are united.
    /// </summary>
    internal enum LexicalMode
    {
        /// <summary>No raw strings: R"x( is an identifier and an unterminated literal.</summary>
        Cpp03,
        /// <summary>Raw strings; "1'0" is a number and a character literal.</summary>
        Cpp11,
        /// <summary>Raw strings and digit separators (C++14 and later).</summary>
        Cpp14,
    }
}
