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

#if defined(__x86_64__) || defined(__aarch64__)

#if defined(__APPLE__)
#define KILN_FIBER_SWITCH_HEADER ".globl _kiln_fiber_switch\n_kiln_fiber_switch:\n"
#define KILN_FIBER_SWITCH_FOOTER ""
#else
#define KILN_FIBER_SWITCH_HEADER ".globl kiln_fiber_switch\n.type kiln_fiber_switch, %function\nkiln_fiber_switch:\n"
#define KILN_FIBER_SWITCH_FOOTER ".size kiln_fiber_switch, .-kiln_fiber_switch\n"
#endif

// kiln_fiber_switch(void **save, void *load): saves the callee-saved registers on the
// current stack, stores the stack pointer in *save, switches to `load`, restores the other
// side's registers from it and returns there.
#if defined(__x86_64__)
__asm__(
    ".text\n"
    ".p2align 4\n"
    KILN_FIBER_SWITCH_HEADER
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
    KILN_FIBER_SWITCH_FOOTER
);
/// What the switch keeps on a suspended stack: six registers, then the return address.
enum { KILN_FIBER_SAVED_WORDS = 6 };
#else
// AAPCS64: x19-x28, the frame record (x29, x30) and the low halves of v8-v15 (d8-d15),
// ten pairs in a 160-byte block (sp stays 16-byte aligned). x30 is where `ret` goes.
__asm__(
    ".text\n"
    ".p2align 4\n"
    KILN_FIBER_SWITCH_HEADER
    "    sub sp, sp, #160\n"
    "    stp x19, x20, [sp, #0]\n"
    "    stp x21, x22, [sp, #16]\n"
    "    stp x23, x24, [sp, #32]\n"
    "    stp x25, x26, [sp, #48]\n"
    "    stp x27, x28, [sp, #64]\n"
    "    stp x29, x30, [sp, #80]\n"
    "    stp d8, d9, [sp, #96]\n"
    "    stp d10, d11, [sp, #112]\n"
    "    stp d12, d13, [sp, #128]\n"
    "    stp d14, d15, [sp, #144]\n"
    "    mov x2, sp\n"
    "    str x2, [x0]\n"
    "    mov sp, x1\n"
    "    ldp x19, x20, [sp, #0]\n"
    "    ldp x21, x22, [sp, #16]\n"
    "    ldp x23, x24, [sp, #32]\n"
    "    ldp x25, x26, [sp, #48]\n"
    "    ldp x27, x28, [sp, #64]\n"
    "    ldp x29, x30, [sp, #80]\n"
    "    ldp d8, d9, [sp, #96]\n"
    "    ldp d10, d11, [sp, #112]\n"
    "    ldp d12, d13, [sp, #128]\n"
    "    ldp d14, d15, [sp, #144]\n"
    "    add sp, sp, #160\n"
    "    ret\n"
    KILN_FIBER_SWITCH_FOOTER
);
/// Where x30 (the address the first switch returns to) sits in the saved block, in words,
/// and x19.
enum { KILN_FIBER_SAVED_WORDS = 20, KILN_FIBER_LR_WORD = 11, KILN_FIBER_X19_WORD = 0 };

// Where the first switch to a fiber returns: calls the fiber's start function (in x19)
// with a zero return address and frame pointer, so that unwinders (libgcc's, which Swift
// Testing runs when an error is thrown) and frame-pointer walks end there instead of
// reading on past the top of the fiber's stack.
#if defined(__APPLE__)
#define KILN_FIBER_ENTRY_HEADER ".globl _kiln_fiber_entry\n_kiln_fiber_entry:\n"
#define KILN_FIBER_ENTRY_FOOTER ""
#else
#define KILN_FIBER_ENTRY_HEADER ".globl kiln_fiber_entry\n.type kiln_fiber_entry, %function\nkiln_fiber_entry:\n"
#define KILN_FIBER_ENTRY_FOOTER ".size kiln_fiber_entry, .-kiln_fiber_entry\n"
#endif
__asm__(
    ".text\n"
    ".p2align 2\n"
    KILN_FIBER_ENTRY_HEADER
    "    .cfi_startproc\n"
    "    .cfi_undefined x30\n"
    "    mov x29, xzr\n"
    "    mov x30, xzr\n"
    "    br x19\n"
    "    .cfi_endproc\n"
    KILN_FIBER_ENTRY_FOOTER
);
void kiln_fiber_entry(void);
#endif

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
    // The first switch restores zeros (a zero frame pointer ends frame-pointer walks) and
    // returns into fiber_start with the stack aligned as after a call.
    uintptr_t *top = (uintptr_t *)((char *)memory + size);
#if defined(__x86_64__)
    top -= 1;  // fiber_start then starts with rsp ≡ 8 (mod 16), as after a call
    *--top = (uintptr_t)fiber_start;
    for (int i = 0; i < KILN_FIBER_SAVED_WORDS; i++) *--top = 0;
#else
    top -= KILN_FIBER_SAVED_WORDS;  // sp 16-byte aligned at fiber_start, as after a call
    for (int i = 0; i < KILN_FIBER_SAVED_WORDS; i++) top[i] = 0;
    top[KILN_FIBER_LR_WORD] = (uintptr_t)kiln_fiber_entry;
    top[KILN_FIBER_X19_WORD] = (uintptr_t)fiber_start;
#endif
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
