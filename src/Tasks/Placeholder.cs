namespace KernelBuild.Tasks { public static class Placeholder { } }
