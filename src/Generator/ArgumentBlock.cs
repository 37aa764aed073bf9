using System.Collections.Generic;

namespace KernelBuild.Generator
{
    /// <summary>
    /// The argument block of a launch, laid out as the PTX parameter list declares it: each parameter at the next
    /// offset that is a multiple of its alignment (the C ABI's rule, which cuLaunchKernel's parameter copy follows).
    /// </summary>
    internal sealed class ArgumentBlock
    {
        private ArgumentBlock(IReadOnlyList<int> offsets, int size)
        {
            Offsets = offsets;
            Size = size;
        }

        public IReadOnlyList<int> Offsets { get; }
        public int Size { get; }

        public static ArgumentBlock Of(IReadOnlyList<ParameterSignature> parameters)
        {
            var offsets = new List<int>(parameters.Count);
            int next = 0;
            foreach (ParameterSignature parameter in parameters)
            {
                int alignment = parameter.Alignment > 0 ? parameter.Alignment : 1;
                next = (next + alignment - 1) / alignment * alignment;
                offsets.Add(next);
                next += parameter.Size;
            }
            return new ArgumentBlock(offsets, next);
        }
    }
}
