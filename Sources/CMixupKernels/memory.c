// Allocator settings for the training loop's allocation pattern (see mk_retain_freed_memory in mixup_kernels.h).
#include "mixup_kernels.h"

#include <stdlib.h>  // defines __GLIBC__ (through <features.h>) on glibc systems

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int mk_retain_freed_memory(long mmap_threshold, long trim_threshold) {
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
    if (mmap_threshold < 0 || trim_threshold < 0 || mmap_threshold > 0x7fffffffL || trim_threshold > 0x7fffffffL)
        return 0;
    int ok = mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold);
    ok &= mallopt(M_TRIM_THRESHOLD, (int)trim_threshold);
    return ok ? 1 : 0;
#else
    (void)mmap_threshold;
    (void)trim_threshold;
    return 0;
#endif
}
