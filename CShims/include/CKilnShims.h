#ifndef KILN_SHIMS_H
#define KILN_SHIMS_H

#include <stddef.h>
#include <stdint.h>

// ---------------------------------------------------------------------------------------
// Runtime structures shared by Swift, the interpreter and machine code. Their layout is
// part of the contract with generated code: see Sources/Kiln/Runtime/VMContextLayout.swift.
// ---------------------------------------------------------------------------------------

/// A function reference: what `ref.func`, tables and imports hold (as a pointer).
typedef struct KilnFuncRef {
    /// Machine-code entry with the wasm calling convention, or NULL under the interpreter.
    void *wasmCall;
    /// The callee's context: an instance's VMContext, or a host function's context.
    void *vmctx;
    /// Engine-wide canonical id of the function's signature, compared by call_indirect.
    uint32_t typeId;
    /// Index of the function in its defining instance (unused for host functions).
    uint32_t functionIndex;
} KilnFuncRef;

/// The current extent of a linear memory. Owned by the memory; instances point at it.
typedef struct KilnMemoryDefinition {
    uint8_t *base;
    /// Accessible bytes (pages * 65536).
    uint64_t length;
} KilnMemoryDefinition;

/// The current extent of a table. Owned by the table; instances point at it.
typedef struct KilnTableDefinition {
    void **elements;
    uint64_t length;
} KilnTableDefinition;

/// Where the frame pointer of the last wasm frame and the return address of its call out
/// are recorded: by machine code before it calls a runtime function that may collect or
/// throw, and by the entry of a host function or adapter (for calls through a function
/// reference: imports, `call_indirect`, `call_ref`), which records its caller's. A host
/// function that fails raises its trap from there, so the trap's backtrace starts at the
/// wasm frame that called it. Calls between wasm functions record nothing.
enum {
    KILN_VMCTX_STORE_RUNTIME_OFFSET = 24,
    KILN_VMCTX_EXIT_FP_OFFSET = 64,
    KILN_VMCTX_EXIT_PC_OFFSET = 72,
};

/// First word of every context a KilnFuncRef can point at.
enum {
    KILN_VMCTX_MAGIC_INSTANCE = 0x534e494b, // "KINS"
    KILN_VMCTX_MAGIC_HOST = 0x54534f48,     // "HOST"
};

// ---------------------------------------------------------------------------------------
// CPU features (x86-64)
// ---------------------------------------------------------------------------------------

/// Bits of `kiln_x86_cpu_features` (the same as `CPUFeatures`' raw values).
enum {
    KILN_CPU_SSSE3 = 1 << 0,
    KILN_CPU_SSE41 = 1 << 1,
    KILN_CPU_SSE42 = 1 << 2,
    KILN_CPU_POPCNT = 1 << 3,
    KILN_CPU_LZCNT = 1 << 4,
    KILN_CPU_BMI1 = 1 << 5,
    KILN_CPU_BMI2 = 1 << 6,
    KILN_CPU_AVX = 1 << 7,
    KILN_CPU_AVX2 = 1 << 8,
    KILN_CPU_FMA = 1 << 9,
};

/// The features of the x86-64 processor this runs on, from CPUID; AVX, AVX2 and FMA only
/// when the OS saves the YMM registers (XGETBV). 0 on other architectures.
uint64_t kiln_x86_cpu_features(void);

// ---------------------------------------------------------------------------------------
// Virtual memory
// ---------------------------------------------------------------------------------------

/// Size of a virtual-memory page on this host.
size_t kiln_page_size(void);

/// Reserves `size` bytes of address space with no access. Returns NULL on failure.
void *kiln_vm_reserve(size_t size);

/// Makes `[address, address + size)` readable and writable. Returns 0 on success.
int kiln_vm_commit(void *address, size_t size);

/// Releases a reservation made by kiln_vm_reserve.
void kiln_vm_release(void *address, size_t size);

/// Returns committed pages of a reservation to the state kiln_vm_reserve left them in:
/// their contents dropped (they read as zeros when committed again) and inaccessible.
/// Returns 0, or -1 with errno set.
int kiln_vm_decommit(void *address, size_t size);

/// Copy-on-write memory images (Linux; elsewhere these fail and Kiln copies instead).
///
/// Creates an anonymous in-memory file (memfd) of `size` bytes, all zeros, and maps it
/// shared and writable at `*contents` so the caller can lay out the image. Returns the file
/// descriptor, or -1 with errno set. The caller unmaps `*contents` with kiln_vm_release and
/// then calls kiln_image_seal.
int kiln_image_create(size_t size, void **contents);

/// Forbids any further change to the image's file (size or contents). Returns 0 or -1.
int kiln_image_seal(int fd);

/// Maps `size` bytes of the image file `fd` from its start at `address`, readable,
/// writable and private (copy-on-write: writes never reach the file), replacing what was
/// mapped there. Returns 0, or -1 with errno set.
int kiln_image_map(void *address, size_t size, int fd);

/// Replaces `[address, address + size)` with a fresh anonymous mapping with no access, as
/// kiln_vm_reserve made it: an image mapped there is gone (unlike kiln_vm_decommit, which
/// on a private file mapping would bring back the file's contents). Returns 0 or -1.
int kiln_vm_remap_anonymous(void *address, size_t size);

/// Closes a file descriptor.
void kiln_close_fd(int fd);


// ---------------------------------------------------------------------------------------
// Executable memory (W^X: pages are writable or executable, never both)
// ---------------------------------------------------------------------------------------

/// Maps `size` bytes read-write for code to be copied in. Returns NULL on failure.
void *kiln_code_alloc(size_t size);

/// Makes the pages read-execute and flushes the instruction cache. Returns 0 on success.
int kiln_code_seal(void *code, size_t size);

void kiln_code_free(void *code, size_t size);

/// Registers `[start, start + size)` as machine code whose faults are wasm traps.
void kiln_code_register(const void *start, size_t size);
void kiln_code_unregister(const void *start);

// ---------------------------------------------------------------------------------------
// Calling machine code
// ---------------------------------------------------------------------------------------

/// What stopped wasm execution, filled in when kiln_jit_enter returns nonzero.
typedef struct KilnTrapInfo {
    /// Program counter of the faulting instruction, or of the call to kiln_trap.
    const void *pc;
    /// The signal (SIGILL, SIGSEGV, SIGBUS, SIGFPE), or 0 for a trap raised by kiln_trap.
    int signal;
    /// For kiln_trap: the trap code and the wasm byte offset of the trapping instruction.
    int code;
    int wasmOffset;
    /// A value the trap message includes (e.g. the table index of a null entry).
    uint64_t detail;
    /// Return addresses of the wasm frames, innermost first (the faulting pc excluded).
    int frameCount;
    const void *frames[64];
} KilnTrapInfo;

/// An array-call trampoline: calls `code` (a wasm function with vmctx `vmctx`) with its
/// arguments read from `values` and its results written back there.
typedef void (*KilnArrayTrampoline)(const void *code, void *vmctx, void *values);

struct KilnStoreRuntime;

/// Runs `trampoline(code, vmctx, values)` with traps armed: a trap in machine code
/// unwinds back here (only machine-code frames lie in between). Returns 0 when the call
/// returned, 1 when it trapped (with `runtime->trap` filled in). Installs the trap
/// handlers on first use in a thread, and at the store's outermost entry sets its stack
/// limit `maxWasmStack` bytes below the current stack pointer.
int kiln_jit_enter(KilnArrayTrampoline trampoline, const void *code, void *vmctx, void *values,
                   struct KilnStoreRuntime *runtime, uintptr_t maxWasmStack);

/// Raises a wasm trap from machine code: unwinds to the innermost kiln_jit_enter.
/// `frame` is the frame pointer of the trapping wasm function.
__attribute__((noreturn)) void kiln_trap(int code, int wasmOffset, uintptr_t frame, uintptr_t pc, uint64_t detail);

/// The address of kiln_trap, for generated code to call.
const void *kiln_trap_address(void);

/// Installs the SIGSEGV/SIGBUS/SIGILL/SIGFPE handlers once per process (and an alternate
/// signal stack on the calling thread). Faults outside registered code are forwarded to
/// the handlers that were installed before.
void kiln_install_trap_handlers(void);

/// The current stack pointer, approximately (to compute a stack limit for wasm).
uintptr_t kiln_stack_pointer(void);

/// The lowest address of the calling thread's stack (0 if unknown).
uintptr_t kiln_thread_stack_low(void);

/// What a runtime builtin called from machine code returns (in two registers): its
/// value, and 0 or a trap code + 1.
typedef struct KilnBuiltinResult {
    uint64_t value;
    uint64_t trap;
} KilnBuiltinResult;

/// Per-store state that machine code reads through every instance's VMContext.
typedef struct KilnStoreRuntime {
    /// Lowest stack address wasm frames may use; prologues trap below it.
    uintptr_t stackLimit;
    /// Remaining fuel, for fuel metering.
    int64_t fuel;
    uint64_t epochDeadline;
    /// How many machine-code activations of this store are on the stack (host calls nest
    /// them). Kept here rather than in a Swift property: plain memory, no exclusivity checks.
    int64_t machineCodeDepth;
    /// Filled by a trap, read right after kiln_jit_enter returns; one per store suffices
    /// because a trap's report is consumed before any other activation can trap.
    KilnTrapInfo trap;
    /// The innermost place where wasm frames of this store called out (to a host function
    /// or a runtime function that may collect), linked outward. The collector walks the
    /// frames of each.
    struct KilnExit *exits;
    /// The activations table's bump chunk: extern references entering wasm frames are
    /// stored at `activationsNext` (each holding one count) until the next collection.
    void **activationsNext;
    void **activationsEnd;
    /// Nonzero when the store's machine code keeps `fuel` in a register between calls (the
    /// fault handler then writes it back).
    int64_t fuelInRegister;
    /// Where a wasm exception resumes (exception handling): set by the runtime's unwinder
    /// before it raises KILN_TRAP_RESUME, read by kiln_trap, which jumps to `pc` with the
    /// landing frame's frame pointer `fp`, stack pointer `sp` and VMContext `vmctx`.
    uintptr_t resumePC;
    uintptr_t resumeFP;
    uintptr_t resumeSP;
    void *resumeVMContext;
} KilnStoreRuntime;

/// A point where wasm frames called out: the frame pointer of the calling wasm function
/// and the return address of its call.
typedef struct KilnExit {
    uintptr_t fp;
    uintptr_t pc;
    struct KilnExit *previous;
} KilnExit;

// ---------------------------------------------------------------------------------------
// Extern references
// ---------------------------------------------------------------------------------------

/// What an externref points at: a reference count that machine code updates inline, and
/// the host's payload with the function that releases it. Offsets are fixed: machine code
/// addresses `refCount` at offset 0.
typedef struct KilnExternData {
    _Atomic(int64_t) refCount;
    void *payload;
    void (*releasePayload)(void *payload);
} KilnExternData;

/// Sequentially consistent increment and load of a counter other threads read (the
/// engine's epoch).
void kiln_atomic_increment(uint64_t *counter);
uint64_t kiln_atomic_load(uint64_t *counter);

/// A new extern reference holding one count.
KilnExternData *kiln_externref_new(void *payload, void (*releasePayload)(void *payload));
void kiln_externref_retain(KilnExternData *data);
/// Drops one count; the last one releases the payload and frees the data.
void kiln_externref_release(KilnExternData *data);
/// The count, loaded with sequential consistency.
int64_t kiln_externref_count(KilnExternData *data);
/// What machine code calls when its inline decrement reached zero.
void kiln_externref_drop(KilnExternData *data);


// ---------------------------------------------------------------------------------------
// Host functions as native code (libffi closures)
// ---------------------------------------------------------------------------------------

/// Value kinds of a host function's parameters and results, as machine code passes them.
enum {
    KILN_KIND_I32 = 0,
    KILN_KIND_I64 = 1,
    KILN_KIND_F32 = 2,
    KILN_KIND_F64 = 3,
    /// funcref and externref: a pointer.
    KILN_KIND_REF = 4,
};

/// The trap code (JITTrap.hostError) a host closure raises when its handler fails.
enum { KILN_TRAP_HOST_ERROR = 11 };
/// Not a trap: kiln_trap resumes machine code at the landing pad the unwinder left in the
/// store runtime (`resumePC`...). A host entry returning KILN_HOST_RESUME asks for it.
enum { KILN_TRAP_RESUME = 32, KILN_HOST_RESUME = 2 };

/// The Swift side of a host closure: runs host function `host` for the wasm instance
/// whose vmctx is `callerVMContext`, with `values` (16-byte slots) holding the parameters
/// and receiving the results. Returns 0, or nonzero when it failed (the error is kept by
/// the store): the closure then raises the trap itself, so that no unwinding ever crosses
/// a Swift frame.
typedef int32_t (*KilnHostEntry)(void *host, void *callerVMContext, void *values);

typedef struct KilnHostClosure KilnHostClosure;

/// Makes a native function with the machine-code calling convention of a wasm function
/// of this type, `(calleeVMContext, callerVMContext, params..., [results pointer])`
/// (the results pointer when there are two results or more), that calls `entry(host, ...)`.
/// Stores its address in `*code`. Returns NULL when libffi cannot make it.
KilnHostClosure *kiln_host_closure_create(const uint8_t *paramKinds, int paramCount, const uint8_t *resultKinds,
                                          int resultCount, KilnHostEntry entry, void *host, void **code);

/// Frees a closure made by kiln_host_closure_create. No call may be running through it.
void kiln_host_closure_free(KilnHostClosure *closure);

// ---------------------------------------------------------------------------------------
// Fibers (for callAsync)
// ---------------------------------------------------------------------------------------

typedef struct KilnFiber KilnFiber;

/// A fiber that will run `entry(argument)` on a stack of `stackSize` bytes (plus a guard
/// page). NULL when it cannot be made (or on hosts without fiber support).
KilnFiber *kiln_fiber_create(size_t stackSize, void (*entry)(void *argument), void *argument);
void kiln_fiber_free(KilnFiber *fiber);
/// Runs the fiber until it suspends or its entry returns; returns 1 when it finished.
int kiln_fiber_resume(KilnFiber *fiber);
/// From code on a fiber: gives control back to whoever resumed it.
void kiln_fiber_suspend(void);
/// Whether the calling code runs on a fiber.
int kiln_fiber_is_running(void);

/// Internal to fibers: the thread's innermost kiln_jit_enter, and its stack's low end.
void *kiln_swap_activation(void *activation);
uintptr_t kiln_set_stack_low_override(uintptr_t low);

// ---------------------------------------------------------------------------------------
// libFuzzer (linked only into the fuzz targets built with -sanitize=fuzzer)
// ---------------------------------------------------------------------------------------

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

/// sched_yield(2), for WASI's sched_yield (Swift's Glibc module does not export it).
int kiln_sched_yield(void);

/// openat2(2) with RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS: opens `path` relative to `dirfd`,
/// following links, but never resolving to anything outside `dirfd` (`..` above it, absolute
/// paths and absolute links fail with EXDEV). Returns the descriptor, or -errno (-ENOSYS
/// where the kernel or platform has no openat2).
int kiln_openat2_beneath(int dirfd, const char *path, int flags);

#endif
