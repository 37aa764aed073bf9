/*
 * A stand-in for NVRTC that injects failures, for the fault tests (FaultInjectionTests.cs builds it with gcc).
 * Exports the nvrtc* functions KernelBuild binds and forwards each to the real library (REAL_NVRTC, set with -D
 * when building), except that
 *     KB_FAULTY_NVRTC=<entry point>:<nvrtcResult>:<substring>
 * makes <entry point> (e.g. nvrtcGetPTX) return <nvrtcResult> (e.g. 11) for programs whose name contains
 * <substring>. Without the variable it behaves exactly as the real NVRTC.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int nvrtcResult;
typedef void *nvrtcProgram;

#define MAX_FAULTY_PROGRAMS 4096

static void *s_real;
static char s_entry[128];
static int s_result;
static char s_substring[1024];
static nvrtcProgram s_faulty[MAX_FAULTY_PROGRAMS];
static pthread_once_t s_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;

static void initialize(void)
{
    s_real = dlopen(REAL_NVRTC, RTLD_NOW | RTLD_LOCAL);
    if (s_real == NULL) {
        fprintf(stderr, "faulty_nvrtc: cannot load %s: %s\n", REAL_NVRTC, dlerror());
        abort();
    }
    const char *spec = getenv("KB_FAULTY_NVRTC");
    if (spec != NULL && spec[0] != '\0' && sscanf(spec, "%127[^:]:%d:%1023[^\n]", s_entry, &s_result, s_substring) != 3) {
        fprintf(stderr, "faulty_nvrtc: KB_FAULTY_NVRTC='%s' is not <entry point>:<result>:<substring>\n", spec);
        abort();
    }
}

static void *real(const char *name)
{
    pthread_once(&s_once, initialize);
    void *function = dlsym(s_real, name);
    if (function == NULL) {
        fprintf(stderr, "faulty_nvrtc: the real NVRTC has no %s\n", name);
        abort();
    }
    return function;
}

static int is_faulty(nvrtcProgram program)
{
    int found = 0;
    pthread_mutex_lock(&s_lock);
    for (int i = 0; i < MAX_FAULTY_PROGRAMS && !found; i++) found = s_faulty[i] == program;
    pthread_mutex_unlock(&s_lock);
    return found;
}

static void set_faulty(nvrtcProgram program, int faulty)
{
    pthread_mutex_lock(&s_lock);
    for (int i = 0; i < MAX_FAULTY_PROGRAMS; i++) {
        if (faulty ? s_faulty[i] == NULL : s_faulty[i] == program) {
            s_faulty[i] = faulty ? program : NULL;
            break;
        }
    }
    pthread_mutex_unlock(&s_lock);
}

/* Whether this call to this program is to fail, and with what. */
static int fault(const char *entry, nvrtcProgram program, nvrtcResult *result)
{
    pthread_once(&s_once, initialize);
    if (s_entry[0] == '\0' || strcmp(entry, s_entry) != 0 || !is_faulty(program)) return 0;
    *result = s_result;
    return 1;
}

nvrtcResult nvrtcVersion(int *major, int *minor)
{
    return ((nvrtcResult (*)(int *, int *))real("nvrtcVersion"))(major, minor);
}

nvrtcResult nvrtcGetNumSupportedArchs(int *count)
{
    return ((nvrtcResult (*)(int *))real("nvrtcGetNumSupportedArchs"))(count);
}

nvrtcResult nvrtcGetSupportedArchs(int *archs)
{
    return ((nvrtcResult (*)(int *))real("nvrtcGetSupportedArchs"))(archs);
}

const char *nvrtcGetErrorString(nvrtcResult result)
{
    return ((const char *(*)(nvrtcResult))real("nvrtcGetErrorString"))(result);
}

nvrtcResult nvrtcCreateProgram(nvrtcProgram *program, const char *source, const char *name, int numHeaders,
                               const char *const *headers, const char *const *includeNames)
{
    nvrtcResult created = ((nvrtcResult (*)(nvrtcProgram *, const char *, const char *, int, const char *const *, const char *const *))
        real("nvrtcCreateProgram"))(program, source, name, numHeaders, headers, includeNames);
    if (created == 0 && s_substring[0] != '\0' && name != NULL && strstr(name, s_substring) != NULL) {
        set_faulty(*program, 1);
        nvrtcResult injected;
        if (fault("nvrtcCreateProgram", *program, &injected)) {
            set_faulty(*program, 0);
            ((nvrtcResult (*)(nvrtcProgram *))real("nvrtcDestroyProgram"))(program);
            *program = NULL;
            return injected;
        }
    }
    return created;
}

nvrtcResult nvrtcDestroyProgram(nvrtcProgram *program)
{
    set_faulty(*program, 0);
    return ((nvrtcResult (*)(nvrtcProgram *))real("nvrtcDestroyProgram"))(program);
}

nvrtcResult nvrtcCompileProgram(nvrtcProgram program, int numOptions, const char *const *options)
{
    nvrtcResult injected;
    if (fault("nvrtcCompileProgram", program, &injected)) return injected;
    return ((nvrtcResult (*)(nvrtcProgram, int, const char *const *))real("nvrtcCompileProgram"))(program, numOptions, options);
}

#define FORWARD_SIZE(NAME)                                                            \
    nvrtcResult NAME(nvrtcProgram program, size_t *size)                              \
    {                                                                                 \
        nvrtcResult injected;                                                         \
        if (fault(#NAME, program, &injected)) return injected;                        \
        return ((nvrtcResult (*)(nvrtcProgram, size_t *))real(#NAME))(program, size); \
    }

#define FORWARD_BYTES(NAME)                                                           \
    nvrtcResult NAME(nvrtcProgram program, char *buffer)                              \
    {                                                                                 \
        nvrtcResult injected;                                                         \
        if (fault(#NAME, program, &injected)) return injected;                        \
        return ((nvrtcResult (*)(nvrtcProgram, char *))real(#NAME))(program, buffer); \
    }

FORWARD_SIZE(nvrtcGetProgramLogSize)
FORWARD_BYTES(nvrtcGetProgramLog)
FORWARD_SIZE(nvrtcGetPTXSize)
FORWARD_BYTES(nvrtcGetPTX)
FORWARD_SIZE(nvrtcGetCUBINSize)
FORWARD_BYTES(nvrtcGetCUBIN)

nvrtcResult nvrtcAddNameExpression(nvrtcProgram program, const char *nameExpression)
{
    nvrtcResult injected;
    if (fault("nvrtcAddNameExpression", program, &injected)) return injected;
    return ((nvrtcResult (*)(nvrtcProgram, const char *))real("nvrtcAddNameExpression"))(program, nameExpression);
}

nvrtcResult nvrtcGetLoweredName(nvrtcProgram program, const char *nameExpression, const char **loweredName)
{
    nvrtcResult injected;
    if (fault("nvrtcGetLoweredName", program, &injected)) return injected;
    return ((nvrtcResult (*)(nvrtcProgram, const char *, const char **))real("nvrtcGetLoweredName"))(program, nameExpression, loweredName);
}
