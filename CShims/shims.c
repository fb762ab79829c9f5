#include "CKilnShims.h"

#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif

size_t kiln_page_size(void) { return (size_t)sysconf(_SC_PAGESIZE); }

void *kiln_vm_reserve(size_t size) {
    void *p = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

int kiln_vm_commit(void *address, size_t size) {
    if (size == 0) return 0;
    return mprotect(address, size, PROT_READ | PROT_WRITE);
}

void kiln_vm_release(void *address, size_t size) {
    if (address != NULL && size != 0) munmap(address, size);
}

#include <sched.h>
int kiln_sched_yield(void) { return sched_yield(); }
