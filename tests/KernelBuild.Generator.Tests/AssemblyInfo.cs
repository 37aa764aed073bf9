// The generator tests compile in memory and share nothing.
[assembly: Parallelize(Scope = ExecutionScope.ClassLevel, Workers = 0)]
