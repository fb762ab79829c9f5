// Fibers: native stacks of their own, for wasm that runs inside `callAsync`.
//
// A fiber runs `entry(argument)` on an mmap'd stack with a guard page below it. The caller
// resumes it with kiln_fiber_resume; the code on the fiber gives control back with
// kiln_fiber_suspend, or by returning from `entry`. Switching saves and restores only the
// callee-saved registers, as a call would. The thread-local state of wasm execution (the
// innermost kiln_jit_enter, the stack bounds) moves with the fiber, so a fiber may be
// resumed on another thread than the one that suspended it (Swift tasks hop threads).
#define _GNU_SOURCE
#include "CKilnShims.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__x86_64__)

// kiln_fiber_switch(void **save, void *load): pushes the callee-saved registers, stores
// the stack pointer in *save, switches to `load`, pops the other side's and returns there.
__asm__(
    ".text\n"
    ".p2align 4\n"
#if defined(__APPLE__)
    ".globl _kiln_fiber_switch\n"
    "_kiln_fiber_switch:\n"
#else
    ".globl kiln_fiber_switch\n"
    ".type kiln_fiber_switch, @function\n"
    "kiln_fiber_switch:\n"
#endif
    "    pushq %rbp\n"
    "    pushq %rbx\n"
    "    pushq %r12\n"
    "    pushq %r13\n"
    "    pushq %r14\n"
    "    pushq %r15\n"
    "    movq %rsp, (%rdi)\n"
    "    movq %rsi, %rsp\n"
    "    popq %r15\n"
    "    popq %r14\n"
    "    popq %r13\n"
    "    popq %r12\n"
    "    popq %rbx\n"
    "    popq %rbp\n"
    "    retq\n"
#if !defined(__APPLE__)
    ".size kiln_fiber_switch, .-kiln_fiber_switch\n"
#endif
);

void kiln_fiber_switch(void **save, void *load);

struct KilnFiber {
    void *memory;
    size_t size;
    /// The fiber's saved stack pointer while it is suspended (or not yet started).
    void *fiberSP;
    /// The resumer's saved stack pointer while the fiber runs.
    void *resumerSP;
    void (*entry)(void *argument);
    void *argument;
    int finished;
    /// Wasm state of the fiber while it is suspended.
    void *activation;
};

static void fiber_start(void);

KilnFiber *kiln_fiber_create(size_t stackSize, void (*entry)(void *argument), void *argument) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t size = (stackSize + page - 1) / page * page + page;  // + the guard page
    void *memory = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) return NULL;
    if (mprotect(memory, page, PROT_NONE) != 0) {
        munmap(memory, size);
        return NULL;
    }
    KilnFiber *fiber = calloc(1, sizeof(KilnFiber));
    if (fiber == NULL) {
        munmap(memory, size);
        return NULL;
    }
    fiber->memory = memory;
    fiber->size = size;
    fiber->entry = entry;
    fiber->argument = argument;
    // The first switch pops six registers (r15 ... rbp, rbp = 0 ends frame-pointer walks)
    // and returns into fiber_start with the stack aligned as after a call.
    uintptr_t *top = (uintptr_t *)((char *)memory + size);
    top -= 1;  // fiber_start then starts with rsp ≡ 8 (mod 16), as after a call
    *--top = (uintptr_t)fiber_start;
    for (int i = 0; i < 6; i++) *--top = 0;
    fiber->fiberSP = top;
    return fiber;
}

void kiln_fiber_free(KilnFiber *fiber) {
    if (fiber == NULL) return;
    munmap(fiber->memory, fiber->size);
    free(fiber);
}

uintptr_t kiln_fiber_stack_low(KilnFiber *fiber) {
    return (uintptr_t)fiber->memory + (uintptr_t)sysconf(_SC_PAGESIZE);
}

static __thread __attribute__((tls_model("initial-exec"))) KilnFiber *running_fiber;

static void fiber_start(void) {
    KilnFiber *fiber = running_fiber;
    fiber->entry(fiber->argument);
    fiber->finished = 1;
    kiln_fiber_switch(&fiber->fiberSP, fiber->resumerSP);
    abort();  // a finished fiber is never resumed
}

int kiln_fiber_resume(KilnFiber *fiber) {
    kiln_install_trap_handlers();
    KilnFiber *outer = running_fiber;
    void *outerActivation = kiln_swap_activation(fiber->activation);
    uintptr_t outerLow = kiln_set_stack_low_override(kiln_fiber_stack_low(fiber));
    running_fiber = fiber;
    kiln_fiber_switch(&fiber->resumerSP, fiber->fiberSP);
    running_fiber = outer;
    kiln_set_stack_low_override(outerLow);
    fiber->activation = kiln_swap_activation(outerActivation);
    return fiber->finished;
}

void kiln_fiber_suspend(void) {
    KilnFiber *fiber = running_fiber;
    if (fiber == NULL) abort();  // only code on a fiber suspends
    kiln_fiber_switch(&fiber->fiberSP, fiber->resumerSP);
}

int kiln_fiber_is_running(void) { return running_fiber != NULL; }

#else

KilnFiber *kiln_fiber_create(size_t stackSize, void (*entry)(void *argument), void *argument) {
    (void)stackSize; (void)entry; (void)argument;
    return NULL;
}
void kiln_fiber_free(KilnFiber *fiber) { (void)fiber; }
uintptr_t kiln_fiber_stack_low(KilnFiber *fiber) { (void)fiber; return 0; }
int kiln_fiber_resume(KilnFiber *fiber) { (void)fiber; abort(); }
void kiln_fiber_suspend(void) { abort(); }
int kiln_fiber_is_running(void) { return 0; }

#endif
