// Integration tests each drive a whole `dotnet build`; two at a time fit a 2-core machine.
[assembly: Parallelize(Scope = ExecutionScope.ClassLevel, Workers = 2)]
