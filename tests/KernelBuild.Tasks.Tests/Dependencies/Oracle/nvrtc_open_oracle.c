/*
 * nvrtc_open_oracle: compiles one CUDA source with NVRTC, so that a tracer (strace) can record
 * every file NVRTC opens. The dependency tests compare that record with the include scanner.
 *
 * usage: nvrtc_open_oracle SOURCE [NVRTC-OPTION...]
 *   SOURCE is passed to nvrtcCreateProgram both as the text (read here) and as the program
 *   name, exactly as the build task does; the options go to nvrtcCompileProgram unchanged.
 * exit: 0 compiled, 1 compile error (the log goes to stderr), 2 usage or setup failure.
 *
 * NVRTC is loaded with dlopen so that no CUDA headers or import library are needed to build
 * this: `gcc -O1 -o nvrtc_open_oracle nvrtc_open_oracle.c -ldl`.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

typedef int nvrtcResult;
typedef struct _nvrtcProgram *nvrtcProgram;

typedef nvrtcResult (*create_fn)(nvrtcProgram *, const char *, const char *, int,
                                 const char *const *, const char *const *);
typedef nvrtcResult (*compile_fn)(nvrtcProgram, int, const char *const *);
typedef nvrtcResult (*log_size_fn)(nvrtcProgram, size_t *);
typedef nvrtcResult (*log_fn)(nvrtcProgram, char *);
typedef nvrtcResult (*destroy_fn)(nvrtcProgram *);

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 2) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown) { free(buf); buf = NULL; }
            else buf = grown;
        }
    }
    fclose(f);
    if (buf) buf[len] = '\0';
    return buf;
}

int main(int argc, char **argv)
{
    static const char *const libs[] = { "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so" };
    void *lib = NULL;
    for (size_t i = 0; i < sizeof libs / sizeof libs[0] && !lib; i++)
        lib = dlopen(libs[i], RTLD_NOW);
    if (argc < 2) { fprintf(stderr, "usage: %s SOURCE [OPTION...]\n", argv[0]); return 2; }
    if (!lib) { fprintf(stderr, "oracle: cannot load NVRTC: %s\n", dlerror()); return 2; }

    create_fn create = (create_fn)dlsym(lib, "nvrtcCreateProgram");
    compile_fn compile = (compile_fn)dlsym(lib, "nvrtcCompileProgram");
    log_size_fn log_size = (log_size_fn)dlsym(lib, "nvrtcGetProgramLogSize");
    log_fn get_log = (log_fn)dlsym(lib, "nvrtcGetProgramLog");
    destroy_fn destroy = (destroy_fn)dlsym(lib, "nvrtcDestroyProgram");
    if (!create || !compile || !log_size || !get_log || !destroy) {
        fprintf(stderr, "oracle: NVRTC lacks an expected entry point\n");
        return 2;
    }

    char *text = read_all(argv[1]);
    if (!text) { perror(argv[1]); return 2; }

    nvrtcProgram prog;
    if (create(&prog, text, argv[1], 0, NULL, NULL) != 0) {
        fprintf(stderr, "oracle: nvrtcCreateProgram failed\n");
        return 2;
    }
    nvrtcResult rc = compile(prog, argc - 2, (const char *const *)(argv + 2));

    size_t size = 0;
    if (log_size(prog, &size) == 0 && size > 1) {
        char *log = malloc(size);
        if (log && get_log(prog, log) == 0) fputs(log, stderr);
        free(log);
    }
    destroy(&prog);
    free(text);
    return rc == 0 ? 0 : 1;
}
