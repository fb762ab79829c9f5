// Host functions as native code: a libffi closure per host function, with the calling
// convention machine code uses for wasm functions, so that machine code calls imports
// and host functions in tables exactly as it calls wasm functions.
//
// The closure's handler copies the arguments into 16-byte value slots, calls the Swift
// entry, and writes the results back where machine code expects them. When the Swift
// side reports failure, the handler raises the trap from here: the unwinding to
// kiln_jit_enter crosses only this handler, libffi's frames and machine code, never a
// Swift frame.
#include "CKilnShims.h"

#if defined(__APPLE__)
#include <ffi/ffi.h>
#else
#include <ffi.h>
#endif
#include <stdlib.h>
#include <string.h>

struct KilnHostClosure {
    ffi_cif cif;
    ffi_closure *closure;
    KilnHostEntry entry;
    void *host;
    int paramCount;
    int resultCount;
    /// max(paramCount, resultCount, 1): the value slots the entry gets.
    int slotCount;
    uint8_t *paramKinds;
    uint8_t *resultKinds;
    /// vmctx, vmctx, params..., [results pointer]
    ffi_type **argumentTypes;
};

static ffi_type *ffi_type_of(uint8_t kind) {
    switch (kind) {
    case KILN_KIND_I32: return &ffi_type_sint32;
    case KILN_KIND_I64: return &ffi_type_sint64;
    case KILN_KIND_F32: return &ffi_type_float;
    case KILN_KIND_F64: return &ffi_type_double;
    default: return &ffi_type_pointer;
    }
}

static void host_closure_handler(ffi_cif *cif, void *ret, void **args, void *user) {
    (void)cif;
    KilnHostClosure *c = (KilnHostClosure *)user;
    void *caller = *(void **)args[1];
    // Read now: a wasm call the host makes may overwrite them. The exit stays listed in the
    // store while the host runs, so that a collection finds the wasm frames below.
    KilnExit exit;
    exit.fp = *(uintptr_t *)((char *)caller + KILN_VMCTX_EXIT_FP_OFFSET);
    exit.pc = *(uintptr_t *)((char *)caller + KILN_VMCTX_EXIT_PC_OFFSET);
    KilnStoreRuntime *runtime = *(KilnStoreRuntime **)((char *)caller + KILN_VMCTX_STORE_RUNTIME_OFFSET);
    exit.previous = runtime->exits;
    runtime->exits = &exit;

    uint64_t values[2 * c->slotCount];
    for (int i = 0; i < c->paramCount; i++) {
        const void *arg = args[2 + i];
        uint64_t lo = 0;
        switch (c->paramKinds[i]) {
        case KILN_KIND_I32: lo = *(const uint32_t *)arg; break;
        case KILN_KIND_F32: memcpy(&lo, arg, 4); break;
        default: memcpy(&lo, arg, 8); break;
        }
        values[2 * i] = lo;
        values[2 * i + 1] = 0;
    }
    for (int i = c->paramCount; i < c->slotCount; i++) {
        values[2 * i] = 0;
        values[2 * i + 1] = 0;
    }

    int32_t status = c->entry(c->host, caller, values);
    runtime->exits = exit.previous;
    if (status != 0) {
        // A frame record as machine code would have pushed it for the call: the walk
        // starts at the calling wasm function.
        uintptr_t record[2] = {exit.fp, exit.pc};
        // KILN_HOST_RESUME: the host function threw a wasm exception that wasm frames
        // below catch; the unwinder left the landing pad in the store runtime.
        kiln_trap(status == KILN_HOST_RESUME ? KILN_TRAP_RESUME : KILN_TRAP_HOST_ERROR, -1, (uintptr_t)record, 0, 0);
    }

    if (c->resultCount == 1) {
        switch (c->resultKinds[0]) {
        case KILN_KIND_I32: *(ffi_sarg *)ret = (int32_t)(uint32_t)values[0]; break;
        case KILN_KIND_F32: memcpy(ret, &values[0], 4); break;
        default: memcpy(ret, &values[0], 8); break;
        }
    } else if (c->resultCount > 1) {
        uint64_t *results = *(uint64_t **)args[2 + c->paramCount];
        for (int i = 0; i < c->resultCount; i++) results[i] = values[2 * i];
    }
}

KilnHostClosure *kiln_host_closure_create(const uint8_t *paramKinds, int paramCount, const uint8_t *resultKinds,
                                          int resultCount, KilnHostEntry entry, void *host, void **code) {
    KilnHostClosure *c = calloc(1, sizeof(KilnHostClosure));
    if (c == NULL) return NULL;
    int argumentCount = 2 + paramCount + (resultCount > 1 ? 1 : 0);
    c->entry = entry;
    c->host = host;
    c->paramCount = paramCount;
    c->resultCount = resultCount;
    c->slotCount = paramCount > resultCount ? paramCount : resultCount;
    if (c->slotCount < 1) c->slotCount = 1;
    c->paramKinds = malloc(paramCount > 0 ? (size_t)paramCount : 1);
    c->resultKinds = malloc(resultCount > 0 ? (size_t)resultCount : 1);
    c->argumentTypes = malloc(sizeof(ffi_type *) * (size_t)argumentCount);
    if (c->paramKinds == NULL || c->resultKinds == NULL || c->argumentTypes == NULL) goto fail;
    if (paramCount > 0) memcpy(c->paramKinds, paramKinds, (size_t)paramCount);
    if (resultCount > 0) memcpy(c->resultKinds, resultKinds, (size_t)resultCount);

    c->argumentTypes[0] = &ffi_type_pointer;
    c->argumentTypes[1] = &ffi_type_pointer;
    for (int i = 0; i < paramCount; i++) c->argumentTypes[2 + i] = ffi_type_of(paramKinds[i]);
    if (resultCount > 1) c->argumentTypes[2 + paramCount] = &ffi_type_pointer;
    ffi_type *returnType = resultCount == 1 ? ffi_type_of(resultKinds[0]) : &ffi_type_void;
    if (ffi_prep_cif(&c->cif, FFI_DEFAULT_ABI, (unsigned)argumentCount, returnType, c->argumentTypes) != FFI_OK) goto fail;

    void *executable = NULL;
    c->closure = ffi_closure_alloc(sizeof(ffi_closure), &executable);
    if (c->closure == NULL) goto fail;
    if (ffi_prep_closure_loc(c->closure, &c->cif, host_closure_handler, c, executable) != FFI_OK) goto fail;
    *code = executable;
    return c;

fail:
    kiln_host_closure_free(c);
    return NULL;
}

void kiln_host_closure_free(KilnHostClosure *c) {
    if (c == NULL) return;
    if (c->closure != NULL) ffi_closure_free(c->closure);
    free(c->paramKinds);
    free(c->resultKinds);
    free(c->argumentTypes);
    free(c);
}
