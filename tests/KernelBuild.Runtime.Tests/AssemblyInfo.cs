// Unit tests are pure and GPU tests share one device; two classes at a time suit a 2-core machine.
[assembly: Parallelize(Scope = ExecutionScope.ClassLevel, Workers = 2)]
