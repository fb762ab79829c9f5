#ifndef KILN_SHIMS_H
#define KILN_SHIMS_H
#include <stddef.h>
#include <stdint.h>
/// Size of a virtual-memory page on this host.
size_t kiln_page_size(void);
#endif
