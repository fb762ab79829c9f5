// Machine-code support: executable memory, entry into generated code, and turning
// faults in generated code into wasm traps.
//
// A trap unwinds with siglongjmp from the signal handler to the innermost
// kiln_jit_enter on the thread. Between the two there are only machine-code frames:
// host functions (Swift) called from wasm return an error status instead of unwinding,
// and a wasm call they make starts its own kiln_jit_enter.
#define _GNU_SOURCE
#include "CKilnShims.h"

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

// --- Executable memory ------------------------------------------------------------------

#if defined(__APPLE__) && defined(__aarch64__)
// Apple silicon forbids mprotect-based W^X on executable memory: code lives in a MAP_JIT
// mapping whose writability is switched per thread (the hardware keeps it writable or
// executable for a thread, never both), and the instruction cache is invalidated by hand.
// Written to Apple's documentation; untested here (no macOS machine).
#include <libkern/OSCacheControl.h>
#include <pthread.h>

void *kiln_code_alloc(size_t size) {
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_JIT, -1, 0);
    if (p == MAP_FAILED) return NULL;
    pthread_jit_write_protect_np(0);  // writable (not executable) for this thread until sealed
    return p;
}

int kiln_code_seal(void *code, size_t size) {
    pthread_jit_write_protect_np(1);
    sys_icache_invalidate(code, size);
    return 0;
}
#else
void *kiln_code_alloc(size_t size) {
    // The caller fills every page at once: populate them in one go rather than fault each.
#ifdef MAP_POPULATE
    int populate = MAP_POPULATE;
#else
    int populate = 0;
#endif
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | populate, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

int kiln_code_seal(void *code, size_t size) {
    if (mprotect(code, size, PROT_READ | PROT_EXEC) != 0) return -1;
    // AArch64 (and any ISA whose instruction cache does not snoop data writes): clean the
    // data cache and invalidate the instruction cache over the new code. A no-op on x86-64.
    __builtin___clear_cache((char *)code, (char *)code + size);
    return 0;
}
#endif

void kiln_code_free(void *code, size_t size) { munmap(code, size); }

// Registered code ranges, read by the signal handler without locks: a slot is published
// by storing its end after its start, and cleared by zeroing its start.
#define KILN_MAX_CODE_RANGES 4096
static _Atomic(uintptr_t) range_start[KILN_MAX_CODE_RANGES];
static _Atomic(uintptr_t) range_end[KILN_MAX_CODE_RANGES];
static pthread_mutex_t range_lock = PTHREAD_MUTEX_INITIALIZER;

void kiln_code_register(const void *start, size_t size) {
    pthread_mutex_lock(&range_lock);
    for (int i = 0; i < KILN_MAX_CODE_RANGES; i++) {
        if (atomic_load(&range_start[i]) == 0) {
            atomic_store(&range_end[i], (uintptr_t)start + size);
            atomic_store(&range_start[i], (uintptr_t)start);
            break;
        }
    }
    pthread_mutex_unlock(&range_lock);
}

void kiln_code_unregister(const void *start) {
    pthread_mutex_lock(&range_lock);
    for (int i = 0; i < KILN_MAX_CODE_RANGES; i++) {
        if (atomic_load(&range_start[i]) == (uintptr_t)start) {
            atomic_store(&range_start[i], 0);
            atomic_store(&range_end[i], 0);
            break;
        }
    }
    pthread_mutex_unlock(&range_lock);
}

static int is_generated_code(uintptr_t pc) {
    for (int i = 0; i < KILN_MAX_CODE_RANGES; i++) {
        uintptr_t start = atomic_load(&range_start[i]);
        if (start != 0 && pc >= start && pc < atomic_load(&range_end[i])) return 1;
    }
    return 0;
}

// --- Entry and unwinding ----------------------------------------------------------------

typedef struct Activation {
    sigjmp_buf jump;
    KilnTrapInfo *trap;
    struct Activation *previous;
    KilnExit *exits;
    KilnStoreRuntime *runtime;
} Activation;

// Thread-locals in the initial-exec model: the entry path reads them on every call, and
// the default model for position-independent code goes through __tls_get_addr.
#define KILN_TLS __thread __attribute__((tls_model("initial-exec")))

static KILN_TLS Activation *current_activation;
static KILN_TLS int has_alternate_stack;

// A fiber may suspend inside machine code on one thread and be resumed on another (the
// task that drives a `callAsync` moves between threads at its awaits). Code that touches
// the thread's activation after calling into machine code must therefore find the slot
// again instead of reusing an address computed before the call: AArch64 compilers keep a
// TPIDR_EL0-relative address in a callee-saved register across calls, which would still
// name the first thread's slot (and clobber whatever that thread was running). Never
// inlined, each access computes the address on the thread it runs on.
__attribute__((noinline)) static void set_current_activation(Activation *activation) {
    current_activation = activation;
}

int kiln_jit_enter(KilnArrayTrampoline trampoline, const void *code, void *vmctx, void *values,
                   KilnStoreRuntime *runtime, uintptr_t maxWasmStack) {
    if (!has_alternate_stack) kiln_install_trap_handlers();
    if (runtime->machineCodeDepth == 0) {
        // The outermost entry of the store sets how deep wasm frames may go.
        uintptr_t limit = kiln_stack_pointer() - maxWasmStack;
        uintptr_t low = kiln_thread_stack_low();
        if (low != 0 && limit < low + 64 * 1024) limit = low + 64 * 1024;
        runtime->stackLimit = limit;
    }
    runtime->machineCodeDepth++;
    Activation activation;
    activation.trap = &runtime->trap;
    activation.runtime = runtime;
    activation.previous = current_activation;
    // A trap may unwind through host frames that pushed exits: restore the list as it was.
    activation.exits = runtime->exits;
    if (sigsetjmp(activation.jump, 0) != 0) {
        set_current_activation(activation.previous);  // possibly on another thread than above
        runtime->exits = activation.exits;
        runtime->machineCodeDepth--;
        return 1;
    }
    current_activation = &activation;
    trampoline(code, vmctx, values);
    set_current_activation(activation.previous);  // possibly on another thread than above
    runtime->machineCodeDepth--;
    return 0;
}

uintptr_t kiln_stack_pointer(void) {
    return (uintptr_t)__builtin_frame_address(0);
}

static KILN_TLS uintptr_t cached_stack_low;
// Set while a fiber runs: the low end of its stack.
static KILN_TLS uintptr_t stack_low_override;

uintptr_t kiln_set_stack_low_override(uintptr_t low) {
    uintptr_t previous = stack_low_override;
    stack_low_override = low;
    return previous;
}

void *kiln_swap_activation(void *activation) {
    Activation *previous = current_activation;
    current_activation = (Activation *)activation;
    return previous;
}

uintptr_t kiln_thread_stack_low(void) {
    if (stack_low_override != 0) return stack_low_override;
    // Cached per thread: pthread_getattr_np allocates, and a thread's stack never moves.
    if (cached_stack_low != 0) return cached_stack_low;
#if defined(__linux__)
    pthread_attr_t attributes;
    void *low = NULL;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attributes) != 0) return 0;
    pthread_attr_getstack(&attributes, &low, &size);
    pthread_attr_destroy(&attributes);
    cached_stack_low = (uintptr_t)low;
    return cached_stack_low;
#elif defined(__APPLE__)
    pthread_t self = pthread_self();
    cached_stack_low = (uintptr_t)pthread_get_stackaddr_np(self) - pthread_get_stacksize_np(self);
    return cached_stack_low;
#else
    return 0;
#endif
}

// --- Signal handling --------------------------------------------------------------------

static struct sigaction previous_handlers[32];
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

static void forward(int signal, siginfo_t *info, void *context) {
    struct sigaction *previous = &previous_handlers[signal];
    if (previous->sa_flags & SA_SIGINFO) {
        previous->sa_sigaction(signal, info, context);
    } else if (previous->sa_handler == SIG_DFL || previous->sa_handler == SIG_IGN) {
        // Restore the default action and let the fault happen again on return.
        sigaction(signal, previous, NULL);
    } else {
        previous->sa_handler(signal);
    }
}

static int walk_frames(uintptr_t fp, const void **frames) {
    // Follow the frame-pointer chain while the return addresses are generated code.
    int count = 0;
    while (fp != 0 && count < 64) {
        uintptr_t *frame = (uintptr_t *)fp;
        uintptr_t return_address = frame[1];
        if (!is_generated_code(return_address)) break;
        frames[count++] = (const void *)return_address;
        if (frame[0] <= fp) break;  // the chain must move up the stack
        fp = frame[0];
    }
    return count;
}

// Jumps to a landing pad: `pc` with the frame pointer, stack pointer and VMContext
// register of its frame. The pad reloads everything else it needs.
__attribute__((naked, noreturn)) static void resume_at(uintptr_t pc, uintptr_t fp, uintptr_t sp, void *vmctx) {
#if defined(__x86_64__)
    __asm__ volatile("mov %rdx, %rsp\n\tmov %rsi, %rbp\n\tmov %rcx, %r15\n\tjmp *%rdi");
#elif defined(__aarch64__)
    __asm__ volatile("mov sp, x2\n\tmov x29, x1\n\tmov x19, x3\n\tbr x0");
#endif
}

void kiln_trap(int code, int wasmOffset, uintptr_t frame, uintptr_t pc, uint64_t detail) {
    Activation *activation = current_activation;
    if (activation == NULL) abort();  // machine code only runs inside kiln_jit_enter
    if (code == KILN_TRAP_RESUME) {
        // An exception caught by a wasm frame of this activation: the frames below it
        // (machine code, host closures) are gone, and so are the exits they listed.
        KilnStoreRuntime *runtime = activation->runtime;
        while (runtime->exits != NULL && runtime->exits->fp <= runtime->resumeFP) runtime->exits = runtime->exits->previous;
        resume_at(runtime->resumePC, runtime->resumeFP, runtime->resumeSP, runtime->resumeVMContext);
    }
    KilnTrapInfo *trap = activation->trap;
    trap->pc = (const void *)pc;
    trap->signal = 0;
    trap->code = code;
    trap->wasmOffset = wasmOffset;
    trap->detail = detail;
    trap->frameCount = walk_frames(frame, trap->frames);
    siglongjmp(activation->jump, 1);
}

const void *kiln_trap_address(void) { return (const void *)&kiln_trap; }

static void handle_fault(int signal, siginfo_t *info, void *context) {
    ucontext_t *uc = (ucontext_t *)context;
#if defined(__APPLE__) && defined(__x86_64__)
    uintptr_t pc = (uintptr_t)uc->uc_mcontext->__ss.__rip;
    uintptr_t fp = (uintptr_t)uc->uc_mcontext->__ss.__rbp;
#define KILN_FUEL_REGISTER(uc) ((int64_t)(uc)->uc_mcontext->__ss.__r12)
#elif defined(__APPLE__) && defined(__aarch64__)
    uintptr_t pc = (uintptr_t)uc->uc_mcontext->__ss.__pc;
    uintptr_t fp = (uintptr_t)uc->uc_mcontext->__ss.__fp;
#define KILN_FUEL_REGISTER(uc) ((int64_t)(uc)->uc_mcontext->__ss.__x[21])
#elif defined(__x86_64__)
    uintptr_t pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    uintptr_t fp = (uintptr_t)uc->uc_mcontext.gregs[REG_RBP];
#define KILN_FUEL_REGISTER(uc) ((int64_t)(uc)->uc_mcontext.gregs[REG_R12])
#elif defined(__aarch64__)
    uintptr_t pc = (uintptr_t)uc->uc_mcontext.pc;
    uintptr_t fp = (uintptr_t)uc->uc_mcontext.regs[29];
#define KILN_FUEL_REGISTER(uc) ((int64_t)(uc)->uc_mcontext.regs[21])
#else
    uintptr_t pc = 0, fp = 0;
#endif
    Activation *activation = current_activation;
    if (activation == NULL || !is_generated_code(pc)) {
        forward(signal, info, context);
        return;
    }
#ifdef KILN_FUEL_REGISTER
    // Metered machine code keeps the fuel in a register (r12, x21) between calls: the store
    // must see it.
    if (activation->runtime->fuelInRegister) activation->runtime->fuel = KILN_FUEL_REGISTER(uc);
#endif
    KilnTrapInfo *trap = activation->trap;
    trap->pc = (const void *)pc;
    trap->signal = signal;
    trap->code = -1;
    trap->wasmOffset = -1;
    trap->frameCount = walk_frames(fp, trap->frames);
    siglongjmp(activation->jump, 1);
}

static void install(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = handle_fault;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE};
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        sigaction(signals[i], &action, &previous_handlers[signals[i]]);
    }
}

// The alternate signal stack Kiln made for a thread, freed when the thread exits.
static pthread_key_t alternate_stack_key;

static void free_alternate_stack(void *memory) {
    stack_t disable = {.ss_sp = NULL, .ss_size = 0, .ss_flags = SS_DISABLE};
    sigaltstack(&disable, NULL);
    free(memory);
}

static void install_everything(void) {
    install();
    pthread_key_create(&alternate_stack_key, free_alternate_stack);
}

void kiln_install_trap_handlers(void) {
    pthread_once(&install_once, install_everything);
    if (!has_alternate_stack) {
        // Faults are handled on an alternate stack so a handler can run even when the
        // fault is a stack overflow. The stack is kept for the thread's lifetime.
        stack_t current;
        if (sigaltstack(NULL, &current) == 0 && (current.ss_flags & SS_DISABLE)) {
            size_t size = 64 * 1024;
            void *memory = malloc(size);
            if (memory != NULL) {
                stack_t stack = {.ss_sp = memory, .ss_size = size, .ss_flags = 0};
                sigaltstack(&stack, NULL);
                pthread_setspecific(alternate_stack_key, memory);
            }
        }
        has_alternate_stack = 1;
    }
}

// --- Extern references ------------------------------------------------------------------

KilnExternData *kiln_externref_new(void *payload, void (*releasePayload)(void *payload)) {
    KilnExternData *data = malloc(sizeof(KilnExternData));
    if (data == NULL) abort();
    atomic_init(&data->refCount, 1);
    data->payload = payload;
    data->releasePayload = releasePayload;
    return data;
}

void kiln_externref_retain(KilnExternData *data) {
    atomic_fetch_add_explicit(&data->refCount, 1, memory_order_relaxed);
}

void kiln_externref_drop(KilnExternData *data) {
    atomic_thread_fence(memory_order_acquire);
    data->releasePayload(data->payload);
    free(data);
}

void kiln_externref_release(KilnExternData *data) {
    if (atomic_fetch_sub_explicit(&data->refCount, 1, memory_order_release) == 1) kiln_externref_drop(data);
}

int64_t kiln_externref_count(KilnExternData *data) { return atomic_load(&data->refCount); }

// --- Counters ---------------------------------------------------------------------------

void kiln_atomic_increment(uint64_t *counter) { __atomic_fetch_add(counter, 1, __ATOMIC_SEQ_CST); }

uint64_t kiln_atomic_load(uint64_t *counter) { return __atomic_load_n(counter, __ATOMIC_SEQ_CST); }
