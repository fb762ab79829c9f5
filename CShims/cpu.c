#include "CKilnShims.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <cpuid.h>

/// Reads XCR0 (xgetbv with ecx = 0). Only called when CPUID says OSXSAVE is set.
static uint64_t kiln_xgetbv0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

uint64_t kiln_x86_cpu_features(void) {
    unsigned int eax, ebx, ecx, edx;
    uint64_t features = 0;
    unsigned int maxLeaf = __get_cpuid_max(0, NULL);
    if (maxLeaf < 1) return 0;
    __cpuid(1, eax, ebx, ecx, edx);
    if (ecx & (1u << 9)) features |= KILN_CPU_SSSE3;
    if (ecx & (1u << 19)) features |= KILN_CPU_SSE41;
    if (ecx & (1u << 20)) features |= KILN_CPU_SSE42;
    if (ecx & (1u << 23)) features |= KILN_CPU_POPCNT;
    // AVX needs the OS to save the YMM state on context switches: OSXSAVE set and XCR0
    // bits 1 (SSE) and 2 (AVX) enabled.
    int osSavesYMM = 0;
    if ((ecx & (1u << 27)) && (ecx & (1u << 28))) {
        osSavesYMM = (kiln_xgetbv0() & 0x6) == 0x6;
    }
    if (osSavesYMM) {
        features |= KILN_CPU_AVX;
        if (ecx & (1u << 12)) features |= KILN_CPU_FMA;
    }
    if (maxLeaf >= 7) {
        __cpuid_count(7, 0, eax, ebx, ecx, edx);
        if (ebx & (1u << 3)) features |= KILN_CPU_BMI1;
        if (ebx & (1u << 8)) features |= KILN_CPU_BMI2;
        if (osSavesYMM && (ebx & (1u << 5))) features |= KILN_CPU_AVX2;
    }
    unsigned int maxExtended = __get_cpuid_max(0x80000000, NULL);
    if (maxExtended >= 0x80000001) {
        __cpuid(0x80000001, eax, ebx, ecx, edx);
        if (ecx & (1u << 5)) features |= KILN_CPU_LZCNT;
    }
    return features;
}
#else
uint64_t kiln_x86_cpu_features(void) { return 0; }
#endif
