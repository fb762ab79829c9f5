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

int kiln_vm_decommit(void *address, size_t size) {
    if (size == 0) return 0;
#ifdef __linux__
    // On Linux MADV_DONTNEED drops a private anonymous mapping's pages: the next touch
    // maps a zero page. The reservation itself (its VMA) stays.
    if (madvise(address, size, MADV_DONTNEED) != 0) return -1;
    return mprotect(address, size, PROT_NONE);
#else
    // Elsewhere MADV_DONTNEED may keep the contents: map fresh pages over the range.
    void *p = mmap(address, size, PROT_NONE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? -1 : 0;
#endif
}

#ifdef __linux__
#include <fcntl.h>
#include <sys/syscall.h>
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#endif
#ifndef MFD_ALLOW_SEALING
#define MFD_ALLOW_SEALING 0x0002U
#endif
#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#endif
#endif

int kiln_image_create(size_t size, void **contents) {
#ifdef __linux__
    int fd = (int)syscall(SYS_memfd_create, "kiln-memory-image", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0) return -1;
    if (ftruncate(fd, (off_t)size) != 0) { close(fd); return -1; }
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) { close(fd); return -1; }
    *contents = p;
    return fd;
#else
    (void)size; (void)contents;
    return -1;
#endif
}

int kiln_image_seal(int fd) {
#if defined(__linux__) && defined(F_ADD_SEALS)
    return fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
#else
    (void)fd;
    return 0;
#endif
}

int kiln_image_map(void *address, size_t size, int fd) {
    if (size == 0) return 0;
    void *p = mmap(address, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 0);
    return p == MAP_FAILED ? -1 : 0;
}

int kiln_vm_remap_anonymous(void *address, size_t size) {
    if (size == 0) return 0;
    void *p = mmap(address, size, PROT_NONE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? -1 : 0;
}

void kiln_close_fd(int fd) { if (fd >= 0) close(fd); }

#include <sched.h>
int kiln_sched_yield(void) { return sched_yield(); }

#ifdef __linux__
#include <errno.h>
#include <sys/syscall.h>

/// struct open_how of linux/openat2.h (declared here: older headers lack it).
struct kiln_open_how {
    uint64_t flags;
    uint64_t mode;
    uint64_t resolve;
};

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#define KILN_RESOLVE_NO_MAGICLINKS 0x02
#define KILN_RESOLVE_BENEATH 0x08

int kiln_openat2_beneath(int dirfd, const char *path, int flags) {
    struct kiln_open_how how = {(uint64_t)(unsigned)flags, 0, KILN_RESOLVE_BENEATH | KILN_RESOLVE_NO_MAGICLINKS};
    long fd;
    int retries = 0;
    do {
        fd = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
        // EAGAIN: a rename raced with a ".." (the kernel could not prove the result beneath).
    } while (fd < 0 && (errno == EINTR || (errno == EAGAIN && ++retries < 8)));
    return fd < 0 ? -errno : (int)fd;
}
#else
#include <errno.h>
int kiln_openat2_beneath(int dirfd, const char *path, int flags) {
    (void)dirfd; (void)path; (void)flags;
    return -ENOSYS;
}
#endif
