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

/// First word of every context a KilnFuncRef can point at.
enum {
    KILN_VMCTX_MAGIC_INSTANCE = 0x534e494b, // "KINS"
    KILN_VMCTX_MAGIC_HOST = 0x54534f48,     // "HOST"
};

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

#endif
