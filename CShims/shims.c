#include "CKilnShims.h"
#include <unistd.h>
size_t kiln_page_size(void) { return (size_t)sysconf(_SC_PAGESIZE); }
