/*
 * nvrtc_floor: the lower bound for compiling CUDA kernels with NVRTC, with no build system around it.
 *
 *   nvrtc_floor -j PROCS -o OUTDIR [NVRTC options...] -- FILE.cu...
 *   nvrtc_floor -t THREADS -o OUTDIR [NVRTC options...] -- FILE.cu...
 *   nvrtc_floor --version        prints the version of the NVRTC it loads
 *
 * Forks PROCS worker processes (NVRTC 11.8 serializes compiles inside one process, so parallelism needs
 * processes). The workers take files from a shared counter, one at a time, and for each: read the source,
 * nvrtcCreateProgram with the file's absolute path as the program name (NVRTC searches quoted includes beside
 * it), nvrtcCompileProgram with the given options, nvrtcGetPTX, and write OUTDIR/<basename>.ptx.
 * NVRTC is opened with dlopen in each worker after the fork: libnvrtc.so.13, .so.12, .so.11.2, libnvrtc.so
 * (or $NVRTC_LIBRARY when set).
 * With -t, THREADS threads of one process share the work instead: NVRTC before 12.3 serializes compiles inside
 * a process, so this shows what a thread pool gets (about what one thread gets).
 *
 * Exit status 0 when every file compiled. Built by bench/bench.py: gcc -O2 -pthread -o nvrtc_floor nvrtc_floor.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

typedef int (*create_fn)(void **prog, const char *src, const char *name, int n, const char *const *h, const char *const *i);
typedef int (*compile_fn)(void *prog, int n, const char *const *opts);
typedef int (*size_fn)(void *prog, size_t *size);
typedef int (*bytes_fn)(void *prog, char *out);
typedef int (*destroy_fn)(void **prog);

static create_fn p_create;
static compile_fn p_compile;
static size_fn p_log_size, p_ptx_size;
static bytes_fn p_log, p_ptx;
static destroy_fn p_destroy;

static void *load_nvrtc(void)
{
    const char *names[] = { getenv("NVRTC_LIBRARY"), "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (names[i] == NULL || names[i][0] == '\0') continue;
        void *lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (lib) return lib;
    }
    fprintf(stderr, "nvrtc_floor: cannot load NVRTC (tried $NVRTC_LIBRARY, libnvrtc.so.13, .so.12, .so.11.2, .so): %s\n", dlerror());
    return NULL;
}

static int bind(void *lib)
{
    p_create = (create_fn)dlsym(lib, "nvrtcCreateProgram");
    p_compile = (compile_fn)dlsym(lib, "nvrtcCompileProgram");
    p_log_size = (size_fn)dlsym(lib, "nvrtcGetProgramLogSize");
    p_log = (bytes_fn)dlsym(lib, "nvrtcGetProgramLog");
    p_ptx_size = (size_fn)dlsym(lib, "nvrtcGetPTXSize");
    p_ptx = (bytes_fn)dlsym(lib, "nvrtcGetPTX");
    p_destroy = (destroy_fn)dlsym(lib, "nvrtcDestroyProgram");
    return p_create && p_compile && p_log_size && p_log && p_ptx_size && p_ptx && p_destroy;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (cap - len - 1 == 0) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (buf) buf[len] = '\0';
    return buf;
}

static int compile_one(const char *file, const char *outdir, int nopts, const char *const *opts)
{
    char path[PATH_MAX];
    if (!realpath(file, path)) { fprintf(stderr, "%s: %s\n", file, strerror(errno)); return 1; }
    char *src = read_file(path);
    if (!src) { fprintf(stderr, "%s: cannot read\n", path); return 1; }

    void *prog = NULL;
    int rc = p_create(&prog, src, path, 0, NULL, NULL);
    free(src);
    if (rc != 0) { fprintf(stderr, "%s: nvrtcCreateProgram failed (%d)\n", path, rc); return 1; }
    rc = p_compile(prog, nopts, opts);
    size_t log_size = 0;
    p_log_size(prog, &log_size);
    if (log_size > 1) {
        char *log = malloc(log_size);
        p_log(prog, log);
        fputs(log, stderr);
        free(log);
    }
    int failed = rc != 0;
    if (!failed) {
        size_t ptx_size = 0;
        p_ptx_size(prog, &ptx_size);
        char *ptx = malloc(ptx_size);
        p_ptx(prog, ptx);
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        char out[2 * PATH_MAX + 8];
        snprintf(out, sizeof out, "%s/%s.ptx", outdir, base);
        FILE *f = fopen(out, "wb");
        if (!f || fwrite(ptx, 1, ptx_size ? ptx_size - 1 : 0, f) != (ptx_size ? ptx_size - 1 : 0)) {
            fprintf(stderr, "%s: cannot write\n", out);
            failed = 1;
        }
        if (f) fclose(f);
        free(ptx);
    } else {
        fprintf(stderr, "%s: compile failed (%d)\n", path, rc);
    }
    p_destroy(&prog);
    return failed;
}

struct job {
    int *next, nfiles, nopts, failed;
    char **files;
    const char *outdir;
    const char *const *opts;
};

static void *thread_main(void *arg)
{
    struct job *j = arg;
    for (;;) {
        int k = __atomic_fetch_add(j->next, 1, __ATOMIC_SEQ_CST);
        if (k >= j->nfiles) break;
        if (compile_one(j->files[k], j->outdir, j->nopts, j->opts)) __atomic_store_n(&j->failed, 1, __ATOMIC_SEQ_CST);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        void *lib = load_nvrtc();
        int (*version)(int *, int *) = lib ? (int (*)(int *, int *))dlsym(lib, "nvrtcVersion") : NULL;
        int major = 0, minor = 0;
        if (!version || version(&major, &minor) != 0) return 1;
        printf("NVRTC %d.%d\n", major, minor);
        return 0;
    }

    int procs = 1, threads = 0;
    const char *outdir = ".";
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "-j") == 0 && i + 1 < argc) procs = atoi(argv[++i]);
        else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) threads = atoi(argv[++i]);
        else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) outdir = argv[++i];
        else break;
    }
    int opt_start = i;
    while (i < argc && strcmp(argv[i], "--") != 0) i++;
    if (i >= argc) {
        fprintf(stderr, "usage: nvrtc_floor -j PROCS | -t THREADS -o OUTDIR [NVRTC options...] -- FILE.cu...\n");
        return 2;
    }
    int nopts = i - opt_start;
    const char *const *opts = (const char *const *)(argv + opt_start);
    char **files = argv + i + 1;
    int nfiles = argc - i - 1;
    if (procs < 1) procs = 1;
    if (procs > nfiles) procs = nfiles;
    if (nfiles == 0) return 0;

    if (threads > 0) {
        void *lib = load_nvrtc();
        if (!lib || !bind(lib)) return 3;
        int next = 0;
        struct job j = { &next, nfiles, nopts, 0, files, outdir, opts };
        pthread_t *ids = calloc((size_t)threads, sizeof *ids);
        for (int t = 0; t < threads; t++) pthread_create(&ids[t], NULL, thread_main, &j);
        for (int t = 0; t < threads; t++) pthread_join(ids[t], NULL);
        free(ids);
        return j.failed;
    }

    /* The next file to take, shared by all workers. */
    int *next = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (next == MAP_FAILED) { perror("mmap"); return 1; }
    *next = 0;
    fflush(NULL);

    for (int p = 0; p < procs; p++) {
        pid_t pid = fork();
        if (pid < 0) { perror("fork"); return 1; }
        if (pid == 0) {
            void *lib = load_nvrtc();
            if (!lib || !bind(lib)) _exit(3);
            int failed = 0;
            for (;;) {
                int k = __atomic_fetch_add(next, 1, __ATOMIC_SEQ_CST);
                if (k >= nfiles) break;
                failed |= compile_one(files[k], outdir, nopts, opts);
            }
            _exit(failed ? 1 : 0);
        }
    }
    int status, failed = 0;
    while (wait(&status) > 0) {
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) failed = 1;
    }
    return failed;
}
