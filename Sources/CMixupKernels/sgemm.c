// Packed, cache-blocked, register-tiled SGEMM (GotoBLAS/BLIS structure) with a small persistent pthread pool.
//
//   for jc in N step NC                      (B block KC×NC lives in L3)
//     for pc in K step KC                    (one rank-KC update of C)
//       pack B[pc:pc+kc, jc:jc+nc]  -> Bp    (micro-panels of NR columns, k-major)
//       for ic in M step MC                  (A block MC×KC lives in L2)
//         pack A[ic:ic+mc, pc:pc+kc] -> Ap   (micro-panels of MR rows, k-major)
//         for jr in nc step NR               (one B micro-panel KC×NR stays in L1)
//           for ir in mc step MR
//             micro-kernel: C[MR×NR] (+)= alpha · Ap_panel · Bp_panel
//
// The micro-kernel is chosen once at run time: AVX-512 (12×32 tile) on x86_64 CPUs that have avx512f, else AVX2+FMA
// (6×16), NEON (6×16) on arm64, else a portable C kernel (6×16). Each kernel brings its own packers and blocking
// parameters (mk_kernel). The SIMD kernels live in functions with __attribute__((target(...))) so that the file
// builds with the default SwiftPM flags (no -mavx2 needed; unsafeFlags are not allowed).
//
// Determinism: every element of C is produced by exactly one thread, and its arithmetic (the order of the FMAs over
// k, the KC split of K, the alpha/beta update) depends only on K and the kernel — not on where its tile lies, the
// thread count or the partition. Edge tiles go through the very same kernel on a scratch tile. So the result is
// bit-identical for any thread count (a stronger property than the contract asks for).
#include "mixup_kernels.h"
#include "mk_kernel.h"

#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__x86_64__)
#include <immintrin.h>
#elif defined(__aarch64__)
#include <arm_neon.h>
#endif

// ---------------------------------------------------------------------------------------------------------------------
// Blocking parameters (in elements). KC: depth of one rank-KC update. A KC×NR micro-panel of B (16 KB for NR=16,
// KC=256) plus the streamed MR×KC micro-panel of A fit in a 32–48 KB L1. MC×KC of A (MC=144: 144 KB) sits in a
// 512 KB–1 MB L2. KC×NC of B (NC=4096: 4 MB) sits in the L3. K, M and N are split into nearly equal blocks no larger
// than these (e.g. K=784 → 4×196 rather than 256+256+256+16) so that no tiny tail block is paid for.
// ---------------------------------------------------------------------------------------------------------------------
#define MK_KC 256
#define MK_MC 144
#define MK_NC 4096
// AVX-512 kernel (12×32 tile): its own blocking. KC×NR B micro-panel = KC·128 B must stay in the 48 KB L1 next to
// the streamed A micro-panel; MC×KC of A in the 1 MB L2.
#ifndef MK_AVX512_KC
#define MK_AVX512_KC 256
#endif
#ifndef MK_AVX512_MC
#define MK_AVX512_MC 144
#endif
#ifndef MK_AVX512_NC
#define MK_AVX512_NC 4096
#endif
#define MK_MAX_MR 12  // largest register tile of any kernel (sizes the edge-tile scratch buffer)
#define MK_MAX_NR 32
// Below this many multiply-adds (M·N·K) per thread, an extra thread costs more than it saves (dispatch to a
// spinning worker costs ≈2–3 µs, waking a sleeping one ≈10+ µs; 2^19 multiply-adds take ≈8 µs on one core).
#ifndef MK_MIN_WORK_PER_THREAD
#define MK_MIN_WORK_PER_THREAD (1L << 19)
#endif
#define MK_MAX_THREADS 256
// Idle workers poll for a new job this many pause instructions (≈50 µs on current x86) before sleeping on the
// condition variable: back-to-back GEMMs (the layers of a training step) then start without a futex wake-up.
#ifndef MK_SPIN
#define MK_SPIN 2000
#endif
// Below this depth the macro-kernel walks C row-wise (see mk_macro_kernel).
#ifndef MK_SMALL_KC
#define MK_SMALL_KC 64
#endif


// ---------------------------------------------------------------------------------------------------------------------
// Generic packing (any panel width R). X is "rows × depth": element (r, p) is X[r·ldx + p] when !trans, else
// X[p·ldx + r]. Output: for each panel of R rows, kc groups of R consecutive values, rows past m are zero.
// ---------------------------------------------------------------------------------------------------------------------
static inline void mk_pack_generic(int R, int trans, const float *X, long ldx, long i0, long p0, long m, long kc,
                                   float *dst) {
    for (long r0 = 0; r0 < m; r0 += R) {
        long rn = m - r0 < R ? m - r0 : R;
        for (long p = 0; p < kc; p++) {
            float *d = dst + p * R;
            if (trans) {
                const float *s = X + (p0 + p) * ldx + i0 + r0;
                for (long r = 0; r < rn; r++) d[r] = s[r];
            } else {
                const float *s = X + (i0 + r0) * ldx + p0 + p;
                for (long r = 0; r < rn; r++) d[r] = s[r * ldx];
            }
            for (long r = rn; r < R; r++) d[r] = 0.0f;
        }
        dst += (long)R * kc;
    }
}

static void mk_pack6(int t, const float *X, long ldx, long i0, long p0, long m, long kc, float *d) {
    mk_pack_generic(6, t, X, ldx, i0, p0, m, kc, d);
}
static void mk_pack16(int t, const float *X, long ldx, long i0, long p0, long m, long kc, float *d) {
    mk_pack_generic(16, t, X, ldx, i0, p0, m, kc, d);
}

// C tile update shared by the portable kernels: row i of C ← alpha·acc + beta·C (beta == 0: C not read).
static inline void mk_portable_store(float acc[6][16], float *c, long ldc, float alpha, float beta) {
    for (int i = 0; i < 6; i++) {
        float *ci = c + i * ldc;
        if (beta == 0.0f) {
            for (int j = 0; j < 16; j++) ci[j] = alpha * acc[i][j];
        } else {
            for (int j = 0; j < 16; j++) ci[j] = alpha * acc[i][j] + beta * ci[j];
        }
    }
}

// Portable micro-kernel (6×16). Plain loops the compiler can vectorize at -O2.
static void mk_ukr_portable(long kc, const float *a, const float *b, float *c, long ldc, float alpha, float beta) {
    float acc[6][16];
    memset(acc, 0, sizeof acc);
    for (long k = 0; k < kc; k++) {
        for (int i = 0; i < 6; i++) {
            float ai = a[i];
            for (int j = 0; j < 16; j++) acc[i][j] += ai * b[j];
        }
        a += 6;
        b += 16;
    }
    mk_portable_store(acc, c, ldc, alpha, beta);
}

static void mk_ukr_direct_portable(long kc, const float *a, const float *lo, const float *hi, const long *off,
                                   float *c, long ldc, float alpha, float beta) {
    float acc[6][16];
    memset(acc, 0, sizeof acc);
    for (long k = 0; k < kc; k++) {
        const float *b0 = lo + off[k], *b1 = hi + off[k];
        for (int i = 0; i < 6; i++) {
            float ai = a[i];
            for (int j = 0; j < 8; j++) acc[i][j] += ai * b0[j];
            for (int j = 0; j < 8; j++) acc[i][8 + j] += ai * b1[j];
        }
        a += 6;
    }
    mk_portable_store(acc, c, ldc, alpha, beta);
}

static void mk_ukr_direct_a_portable(long kc, const float *const *rows, const long *off, const float *b, float *c,
                                     long ldc, float alpha, float beta) {
    float acc[6][16];
    memset(acc, 0, sizeof acc);
    for (long k = 0; k < kc; k++) {
        for (int i = 0; i < 6; i++) {
            float ai = rows[i][off[k]];
            for (int j = 0; j < 16; j++) acc[i][j] += ai * b[j];
        }
        b += 16;
    }
    mk_portable_store(acc, c, ldc, alpha, beta);
}

__attribute__((unused)) static const mk_kernel mk_kernel_portable = {
    6,     16,    mk_ukr_portable,        mk_pack6, mk_pack16, "portable", MK_KC, MK_MC,
    MK_NC, mk_ukr_direct_portable, mk_ukr_direct_a_portable};

// ---------------------------------------------------------------------------------------------------------------------
// x86_64: AVX2+FMA 6×16 kernel: 12 ymm accumulators + 2 for B + 1 broadcast of A = 15 of 16 registers, 12 FMAs
// per 2 loads + 6 broadcasts, which keeps both FMA pipes busy (≈95% of the AVX2 peak on Zen 5).
// ---------------------------------------------------------------------------------------------------------------------
#if defined(__x86_64__)

#define MK_AVX2 __attribute__((target("avx2,fma")))

// C tile update shared by the AVX2 kernel: row i of C ← alpha·acc + beta·C (beta==0: C not read).
#define MK_AVX2_STORE_ROW(i, lo, hi)                                                                       \
    do {                                                                                                   \
        float *ci = c + (i) * ldc;                                                                         \
        if (beta == 0.0f) {                                                                                \
            _mm256_storeu_ps(ci, _mm256_mul_ps(va, lo));                                                   \
            _mm256_storeu_ps(ci + 8, _mm256_mul_ps(va, hi));                                               \
        } else if (beta == 1.0f) {                                                                         \
            _mm256_storeu_ps(ci, _mm256_fmadd_ps(va, lo, _mm256_loadu_ps(ci)));                            \
            _mm256_storeu_ps(ci + 8, _mm256_fmadd_ps(va, hi, _mm256_loadu_ps(ci + 8)));                    \
        } else {                                                                                           \
            _mm256_storeu_ps(ci, _mm256_fmadd_ps(va, lo, _mm256_mul_ps(vb, _mm256_loadu_ps(ci))));         \
            _mm256_storeu_ps(ci + 8, _mm256_fmadd_ps(va, hi, _mm256_mul_ps(vb, _mm256_loadu_ps(ci + 8)))); \
        }                                                                                                  \
    } while (0)

// The 6×16 register tile shared by the AVX2 kernels: 12 accumulators; one depth step broadcasts the six A values
// A0…A5 (float pointers) against the 16 B values in b0, b1; the epilogue stores alpha·acc (+ beta·C).
#define MK_AVX2_TILE_DECLARE                                               \
    __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();           \
    __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();           \
    __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();           \
    __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();           \
    __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();           \
    __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();           \
    for (int i = 0; i < 6; i++) _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0)

#define MK_AVX2_ROW_FMA(A, lo, hi)                  \
    do {                                            \
        const __m256 ai = _mm256_broadcast_ss(A);   \
        lo = _mm256_fmadd_ps(ai, b0, lo);           \
        hi = _mm256_fmadd_ps(ai, b1, hi);           \
    } while (0)

#define MK_AVX2_TILE_STEP(A0, A1, A2, A3, A4, A5) \
    do {                                          \
        MK_AVX2_ROW_FMA(A0, c00, c01);            \
        MK_AVX2_ROW_FMA(A1, c10, c11);            \
        MK_AVX2_ROW_FMA(A2, c20, c21);            \
        MK_AVX2_ROW_FMA(A3, c30, c31);            \
        MK_AVX2_ROW_FMA(A4, c40, c41);            \
        MK_AVX2_ROW_FMA(A5, c50, c51);            \
    } while (0)

#define MK_AVX2_TILE_STORE                                                   \
    do {                                                                     \
        __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);        \
        MK_AVX2_STORE_ROW(0, c00, c01);                                      \
        MK_AVX2_STORE_ROW(1, c10, c11);                                      \
        MK_AVX2_STORE_ROW(2, c20, c21);                                      \
        MK_AVX2_STORE_ROW(3, c30, c31);                                      \
        MK_AVX2_STORE_ROW(4, c40, c41);                                      \
        MK_AVX2_STORE_ROW(5, c50, c51);                                      \
    } while (0)

MK_AVX2 static void mk_ukr_avx2(long kc, const float *a, const float *b, float *c, long ldc, float alpha,
                                float beta) {
    MK_AVX2_TILE_DECLARE;
    for (long k = 0; k < kc; k++) {
        const __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
        MK_AVX2_TILE_STEP(a, a + 1, a + 2, a + 3, a + 4, a + 5);
        a += 6;
        b += 16;
    }
    MK_AVX2_TILE_STORE;
}

// mk_ukr_avx2 with the A values broadcast from the image (mk_ukr_direct_a_fn).
MK_AVX2 static void mk_ukr_direct_a_avx2(long kc, const float *const *rows, const long *off, const float *b, float *c,
                                         long ldc, float alpha, float beta) {
    const float *a0 = rows[0], *a1 = rows[1], *a2 = rows[2], *a3 = rows[3], *a4 = rows[4], *a5 = rows[5];
    MK_AVX2_TILE_DECLARE;
    for (long k = 0; k < kc; k++) {
        const long o = off[k];
        const __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
        MK_AVX2_TILE_STEP(a0 + o, a1 + o, a2 + o, a3 + o, a4 + o, a5 + o);
        b += 16;
    }
    MK_AVX2_TILE_STORE;
}

// mk_ukr_avx2 with the B values read from the image (mk_ukr_direct_fn).
MK_AVX2 static void mk_ukr_direct_avx2(long kc, const float *a, const float *lo, const float *hi, const long *off,
                                       float *c, long ldc, float alpha, float beta) {
    MK_AVX2_TILE_DECLARE;
    for (long k = 0; k < kc; k++) {
        const __m256 b0 = _mm256_loadu_ps(lo + off[k]), b1 = _mm256_loadu_ps(hi + off[k]);
        MK_AVX2_TILE_STEP(a, a + 1, a + 2, a + 3, a + 4, a + 5);
        a += 6;
    }
    MK_AVX2_TILE_STORE;
}

// 8×8 transpose of r0..r7 in place (standard unpack/shuffle/permute sequence).
#define MK_TRANSPOSE8(r0, r1, r2, r3, r4, r5, r6, r7)                                                  \
    do {                                                                                               \
        __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);                       \
        __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);                       \
        __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);                       \
        __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);                       \
        __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);             \
        __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);             \
        __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);             \
        __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);             \
        r0 = _mm256_permute2f128_ps(s0, s4, 0x20);                                                     \
        r1 = _mm256_permute2f128_ps(s1, s5, 0x20);                                                     \
        r2 = _mm256_permute2f128_ps(s2, s6, 0x20);                                                     \
        r3 = _mm256_permute2f128_ps(s3, s7, 0x20);                                                     \
        r4 = _mm256_permute2f128_ps(s0, s4, 0x31);                                                     \
        r5 = _mm256_permute2f128_ps(s1, s5, 0x31);                                                     \
        r6 = _mm256_permute2f128_ps(s2, s6, 0x31);                                                     \
        r7 = _mm256_permute2f128_ps(s3, s7, 0x31);                                                     \
    } while (0)

// Packs 8 rows × 8 depth (rows r at s + r·ldx, contiguous in depth) into 8 groups of 8 values at d, d+R, ...
// Used for the "row-major, depth contiguous" case, which needs a transpose.
MK_AVX2 static inline void mk_pack_t8x8(const float *s, long ldx, float *d, long R) {
    __m256 r0 = _mm256_loadu_ps(s), r1 = _mm256_loadu_ps(s + ldx);
    __m256 r2 = _mm256_loadu_ps(s + 2 * ldx), r3 = _mm256_loadu_ps(s + 3 * ldx);
    __m256 r4 = _mm256_loadu_ps(s + 4 * ldx), r5 = _mm256_loadu_ps(s + 5 * ldx);
    __m256 r6 = _mm256_loadu_ps(s + 6 * ldx), r7 = _mm256_loadu_ps(s + 7 * ldx);
    MK_TRANSPOSE8(r0, r1, r2, r3, r4, r5, r6, r7);
    _mm256_storeu_ps(d, r0);
    _mm256_storeu_ps(d + R, r1);
    _mm256_storeu_ps(d + 2 * R, r2);
    _mm256_storeu_ps(d + 3 * R, r3);
    _mm256_storeu_ps(d + 4 * R, r4);
    _mm256_storeu_ps(d + 5 * R, r5);
    _mm256_storeu_ps(d + 6 * R, r6);
    _mm256_storeu_ps(d + 7 * R, r7);
}

// Packer for panel widths that are multiples of 8 (16 for the B panels): full panels use 8×8
// transposes (!trans) or straight vector copies (trans); edges fall back to the generic code.
MK_AVX2 static void mk_pack_x8_avx2(int R, int trans, const float *X, long ldx, long i0, long p0, long m, long kc,
                                    float *dst) {
    long full = m / R * R;
    for (long r0 = 0; r0 < full; r0 += R) {
        if (trans) {
            const float *s = X + p0 * ldx + i0 + r0;
            for (long p = 0; p < kc; p++, s += ldx)
                for (int r = 0; r < R; r += 8) _mm256_storeu_ps(dst + p * R + r, _mm256_loadu_ps(s + r));
        } else {
            long p = 0;
            for (; p + 8 <= kc; p += 8)
                for (int r = 0; r < R; r += 8)
                    mk_pack_t8x8(X + (i0 + r0 + r) * ldx + p0 + p, ldx, dst + p * R + r, R);
            for (; p < kc; p++)
                for (int r = 0; r < R; r++) dst[p * R + r] = X[(i0 + r0 + r) * ldx + p0 + p];
        }
        dst += (long)R * kc;
    }
    if (full < m) mk_pack_generic(R, trans, X, ldx, i0 + full, p0, m - full, kc, dst);
}

MK_AVX2 static void mk_pack16_avx2(int t, const float *X, long ldx, long i0, long p0, long m, long kc, float *d) {
    mk_pack_x8_avx2(16, t, X, ldx, i0, p0, m, kc, d);
}

// Packer for 6-row panels (AVX2 A). trans: 6 contiguous values per depth step. !trans: 8×8 transposes of 6 real
// rows (the two missing rows are zero) stored with a 6-lane mask.
MK_AVX2 static void mk_pack6_avx2(int trans, const float *X, long ldx, long i0, long p0, long m, long kc,
                                  float *dst) {
    long full = m / 6 * 6;
    const __m256i mask6 = _mm256_setr_epi32(-1, -1, -1, -1, -1, -1, 0, 0);
    for (long r0 = 0; r0 < full; r0 += 6) {
        if (trans) {
            const float *s = X + p0 * ldx + i0 + r0;
            for (long p = 0; p < kc; p++, s += ldx) {
                float *d = dst + p * 6;
                d[0] = s[0], d[1] = s[1], d[2] = s[2], d[3] = s[3], d[4] = s[4], d[5] = s[5];
            }
        } else {
            const float *s = X + (i0 + r0) * ldx + p0;
            long p = 0;
            for (; p + 8 <= kc; p += 8) {
                __m256 r0v = _mm256_loadu_ps(s + p), r1v = _mm256_loadu_ps(s + ldx + p);
                __m256 r2v = _mm256_loadu_ps(s + 2 * ldx + p), r3v = _mm256_loadu_ps(s + 3 * ldx + p);
                __m256 r4v = _mm256_loadu_ps(s + 4 * ldx + p), r5v = _mm256_loadu_ps(s + 5 * ldx + p);
                __m256 r6v = _mm256_setzero_ps(), r7v = _mm256_setzero_ps();
                MK_TRANSPOSE8(r0v, r1v, r2v, r3v, r4v, r5v, r6v, r7v);
                float *d = dst + p * 6;
                _mm256_maskstore_ps(d, mask6, r0v);
                _mm256_maskstore_ps(d + 6, mask6, r1v);
                _mm256_maskstore_ps(d + 12, mask6, r2v);
                _mm256_maskstore_ps(d + 18, mask6, r3v);
                _mm256_maskstore_ps(d + 24, mask6, r4v);
                _mm256_maskstore_ps(d + 30, mask6, r5v);
                _mm256_maskstore_ps(d + 36, mask6, r6v);
                _mm256_maskstore_ps(d + 42, mask6, r7v);
            }
            for (; p < kc; p++)
                for (int r = 0; r < 6; r++) dst[p * 6 + r] = s[r * ldx + p];
        }
        dst += 6 * kc;
    }
    if (full < m) mk_pack_generic(6, trans, X, ldx, i0 + full, p0, m - full, kc, dst);
}

static const mk_kernel mk_kernel_avx2 = {
    6,     16,    mk_ukr_avx2,        mk_pack6_avx2, mk_pack16_avx2, "avx2-fma", MK_KC, MK_MC,
    MK_NC, mk_ukr_direct_avx2, mk_ukr_direct_a_avx2};

// ---------------------------------------------------------------------------------------------------------------------
// x86_64: AVX-512 12×32 kernel: 24 zmm accumulators (two per row of C) + 2 for B + 1 broadcast of A = 27 of 32
// registers; 24 FMAs per 2 loads + 12 broadcasts. Same structure as the AVX2 kernel (the k order of the FMAs is the
// same; only the tile shape differs).
// ---------------------------------------------------------------------------------------------------------------------
#define MK_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,fma")))

#define MK_Z_ROW(i)                                       \
    do {                                                  \
        __m512 ai = _mm512_set1_ps(a[0x##i]);             \
        c##i##0 = _mm512_fmadd_ps(ai, b0, c##i##0);       \
        c##i##1 = _mm512_fmadd_ps(ai, b1, c##i##1);       \
    } while (0)

// Row `idx` of C ← alpha·(r0, r1) + beta·C (beta == 0: C not read).
#define MK_Z_STORE(idx, r0, r1)                                                                             \
    do {                                                                                                    \
        float *ci = c + (idx) * ldc;                                                                        \
        if (beta == 0.0f) {                                                                                 \
            _mm512_storeu_ps(ci, _mm512_mul_ps(va, r0));                                                    \
            _mm512_storeu_ps(ci + 16, _mm512_mul_ps(va, r1));                                               \
        } else if (beta == 1.0f) {                                                                          \
            _mm512_storeu_ps(ci, _mm512_fmadd_ps(va, r0, _mm512_loadu_ps(ci)));                             \
            _mm512_storeu_ps(ci + 16, _mm512_fmadd_ps(va, r1, _mm512_loadu_ps(ci + 16)));                   \
        } else {                                                                                            \
            _mm512_storeu_ps(ci, _mm512_fmadd_ps(va, r0, _mm512_mul_ps(vb, _mm512_loadu_ps(ci))));          \
            _mm512_storeu_ps(ci + 16, _mm512_fmadd_ps(va, r1, _mm512_mul_ps(vb, _mm512_loadu_ps(ci + 16)))); \
        }                                                                                                   \
    } while (0)

MK_AVX512 static void mk_ukr_avx512(long kc, const float *a, const float *b, float *c, long ldc, float alpha,
                                    float beta) {
    __m512 c00 = _mm512_setzero_ps(), c01 = _mm512_setzero_ps(), c10 = _mm512_setzero_ps(), c11 = _mm512_setzero_ps();
    __m512 c20 = _mm512_setzero_ps(), c21 = _mm512_setzero_ps(), c30 = _mm512_setzero_ps(), c31 = _mm512_setzero_ps();
    __m512 c40 = _mm512_setzero_ps(), c41 = _mm512_setzero_ps(), c50 = _mm512_setzero_ps(), c51 = _mm512_setzero_ps();
    __m512 c60 = _mm512_setzero_ps(), c61 = _mm512_setzero_ps(), c70 = _mm512_setzero_ps(), c71 = _mm512_setzero_ps();
    __m512 c80 = _mm512_setzero_ps(), c81 = _mm512_setzero_ps(), c90 = _mm512_setzero_ps(), c91 = _mm512_setzero_ps();
    __m512 cA0 = _mm512_setzero_ps(), cA1 = _mm512_setzero_ps(), cB0 = _mm512_setzero_ps(), cB1 = _mm512_setzero_ps();
    for (int i = 0; i < 12; i++) {
        _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);
        _mm_prefetch((const char *)(c + i * ldc + 16), _MM_HINT_T0);
    }
    for (long k = 0; k < kc; k++) {
        __m512 b0 = _mm512_loadu_ps(b), b1 = _mm512_loadu_ps(b + 16);
        MK_Z_ROW(0); MK_Z_ROW(1); MK_Z_ROW(2); MK_Z_ROW(3); MK_Z_ROW(4); MK_Z_ROW(5);
        MK_Z_ROW(6); MK_Z_ROW(7); MK_Z_ROW(8); MK_Z_ROW(9); MK_Z_ROW(A); MK_Z_ROW(B);
        a += 12;
        b += 32;
    }
    __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
    MK_Z_STORE(0, c00, c01); MK_Z_STORE(1, c10, c11); MK_Z_STORE(2, c20, c21); MK_Z_STORE(3, c30, c31);
    MK_Z_STORE(4, c40, c41); MK_Z_STORE(5, c50, c51); MK_Z_STORE(6, c60, c61); MK_Z_STORE(7, c70, c71);
    MK_Z_STORE(8, c80, c81); MK_Z_STORE(9, c90, c91); MK_Z_STORE(10, cA0, cA1); MK_Z_STORE(11, cB0, cB1);
}

// Packer for 32-row panels (AVX-512 B). trans: two zmm copies per depth step. !trans: 8×8 transposes, two per row
// group and 16-deep step so that each source cache line is used completely while it is in L1 (32 rows with a
// power-of-two stride all map to the same L1 set).
MK_AVX512 static void mk_pack32_avx512(int trans, const float *X, long ldx, long i0, long p0, long m, long kc,
                                       float *dst) {
    long full = m / 32 * 32;
    for (long r0 = 0; r0 < full; r0 += 32) {
        if (trans) {
            const float *s = X + p0 * ldx + i0 + r0;
            for (long p = 0; p < kc; p++, s += ldx) {
                _mm512_storeu_ps(dst + p * 32, _mm512_loadu_ps(s));
                _mm512_storeu_ps(dst + p * 32 + 16, _mm512_loadu_ps(s + 16));
            }
        } else {
            long p = 0;
            for (; p + 16 <= kc; p += 16)
                for (int r = 0; r < 32; r += 8) {
                    const float *s = X + (i0 + r0 + r) * ldx + p0 + p;
                    mk_pack_t8x8(s, ldx, dst + p * 32 + r, 32);
                    mk_pack_t8x8(s + 8, ldx, dst + (p + 8) * 32 + r, 32);
                }
            for (; p + 8 <= kc; p += 8)
                for (int r = 0; r < 32; r += 8)
                    mk_pack_t8x8(X + (i0 + r0 + r) * ldx + p0 + p, ldx, dst + p * 32 + r, 32);
            for (; p < kc; p++)
                for (int r = 0; r < 32; r++) dst[p * 32 + r] = X[(i0 + r0 + r) * ldx + p0 + p];
        }
        dst += 32 * kc;
    }
    if (full < m) mk_pack_generic(32, trans, X, ldx, i0 + full, p0, m - full, kc, dst);
}

// Packer for 12-row panels (AVX-512 A). trans: 12 contiguous values per depth step. !trans: rows 0–7 by 8×8
// transposes, rows 8–11 by 8×8 transposes with 4 zero rows (low 4 lanes stored).
MK_AVX512 static void mk_pack12_avx512(int trans, const float *X, long ldx, long i0, long p0, long m, long kc,
                                       float *dst) {
    long full = m / 12 * 12;
    for (long r0 = 0; r0 < full; r0 += 12) {
        if (trans) {
            const float *s = X + p0 * ldx + i0 + r0;
            for (long p = 0; p < kc; p++, s += ldx) {
                float *d = dst + p * 12;
                _mm256_storeu_ps(d, _mm256_loadu_ps(s));
                _mm_storeu_ps(d + 8, _mm_loadu_ps(s + 8));
            }
        } else {
            const float *s = X + (i0 + r0) * ldx + p0;
            long p = 0;
            for (; p + 8 <= kc; p += 8) {
                mk_pack_t8x8(s + p, ldx, dst + p * 12, 12);
                const float *s8 = s + 8 * ldx + p;
                __m256 r0v = _mm256_loadu_ps(s8), r1v = _mm256_loadu_ps(s8 + ldx);
                __m256 r2v = _mm256_loadu_ps(s8 + 2 * ldx), r3v = _mm256_loadu_ps(s8 + 3 * ldx);
                __m256 r4v = _mm256_setzero_ps(), r5v = _mm256_setzero_ps();
                __m256 r6v = _mm256_setzero_ps(), r7v = _mm256_setzero_ps();
                MK_TRANSPOSE8(r0v, r1v, r2v, r3v, r4v, r5v, r6v, r7v);
                float *d = dst + p * 12 + 8;
                _mm_storeu_ps(d, _mm256_castps256_ps128(r0v));
                _mm_storeu_ps(d + 12, _mm256_castps256_ps128(r1v));
                _mm_storeu_ps(d + 24, _mm256_castps256_ps128(r2v));
                _mm_storeu_ps(d + 36, _mm256_castps256_ps128(r3v));
                _mm_storeu_ps(d + 48, _mm256_castps256_ps128(r4v));
                _mm_storeu_ps(d + 60, _mm256_castps256_ps128(r5v));
                _mm_storeu_ps(d + 72, _mm256_castps256_ps128(r6v));
                _mm_storeu_ps(d + 84, _mm256_castps256_ps128(r7v));
            }
            for (; p < kc; p++)
                for (int r = 0; r < 12; r++) dst[p * 12 + r] = s[r * ldx + p];
        }
        dst += 12 * kc;
    }
    if (full < m) mk_pack_generic(12, trans, X, ldx, i0 + full, p0, m - full, kc, dst);
}

static const mk_kernel mk_kernel_avx512 = {12, 32, mk_ukr_avx512, mk_pack12_avx512, mk_pack32_avx512, "avx512",
                                           MK_AVX512_KC, MK_AVX512_MC, MK_AVX512_NC};

#endif  // __x86_64__

// ---------------------------------------------------------------------------------------------------------------------
// arm64: NEON 6×16 kernel. 24 q-register accumulators + 4 for B + 2 for A = 30 of 32 registers.
// ---------------------------------------------------------------------------------------------------------------------
#if defined(__aarch64__)

#define MK_NEON_STORE(i, q, acc)                                                                     \
    do {                                                                                             \
        float *cp = c + (i) * ldc + 4 * (q);                                                         \
        if (beta == 0.0f)                                                                            \
            vst1q_f32(cp, vmulq_n_f32(acc, alpha));                                                  \
        else if (beta == 1.0f)                                                                       \
            vst1q_f32(cp, vfmaq_n_f32(vld1q_f32(cp), acc, alpha));                                   \
        else                                                                                         \
            vst1q_f32(cp, vfmaq_n_f32(vmulq_n_f32(vld1q_f32(cp), beta), acc, alpha));                \
    } while (0)

#define MK_NEON_ROW_LANEQ(ci0, ci1, ci2, ci3, av, lane) \
    ci0 = vfmaq_laneq_f32(ci0, b0, av, lane);           \
    ci1 = vfmaq_laneq_f32(ci1, b1, av, lane);           \
    ci2 = vfmaq_laneq_f32(ci2, b2, av, lane);           \
    ci3 = vfmaq_laneq_f32(ci3, b3, av, lane)
#define MK_NEON_ROW_LANE(ci0, ci1, ci2, ci3, av, lane) \
    ci0 = vfmaq_lane_f32(ci0, b0, av, lane);           \
    ci1 = vfmaq_lane_f32(ci1, b1, av, lane);           \
    ci2 = vfmaq_lane_f32(ci2, b2, av, lane);           \
    ci3 = vfmaq_lane_f32(ci3, b3, av, lane)

static void mk_ukr_neon(long kc, const float *a, const float *b, float *c, long ldc, float alpha, float beta) {
    float32x4_t z = vdupq_n_f32(0.0f);
    float32x4_t c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
    float32x4_t c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
    float32x4_t c40 = z, c41 = z, c42 = z, c43 = z, c50 = z, c51 = z, c52 = z, c53 = z;
    for (long k = 0; k < kc; k++) {
        float32x4_t b0 = vld1q_f32(b), b1 = vld1q_f32(b + 4), b2 = vld1q_f32(b + 8), b3 = vld1q_f32(b + 12);
        float32x4_t a03 = vld1q_f32(a);  // rows 0..3
        float32x2_t a45 = vld1_f32(a + 4);  // rows 4..5
        MK_NEON_ROW_LANEQ(c00, c01, c02, c03, a03, 0);
        MK_NEON_ROW_LANEQ(c10, c11, c12, c13, a03, 1);
        MK_NEON_ROW_LANEQ(c20, c21, c22, c23, a03, 2);
        MK_NEON_ROW_LANEQ(c30, c31, c32, c33, a03, 3);
        MK_NEON_ROW_LANE(c40, c41, c42, c43, a45, 0);
        MK_NEON_ROW_LANE(c50, c51, c52, c53, a45, 1);
        a += 6;
        b += 16;
    }
    MK_NEON_STORE(0, 0, c00); MK_NEON_STORE(0, 1, c01); MK_NEON_STORE(0, 2, c02); MK_NEON_STORE(0, 3, c03);
    MK_NEON_STORE(1, 0, c10); MK_NEON_STORE(1, 1, c11); MK_NEON_STORE(1, 2, c12); MK_NEON_STORE(1, 3, c13);
    MK_NEON_STORE(2, 0, c20); MK_NEON_STORE(2, 1, c21); MK_NEON_STORE(2, 2, c22); MK_NEON_STORE(2, 3, c23);
    MK_NEON_STORE(3, 0, c30); MK_NEON_STORE(3, 1, c31); MK_NEON_STORE(3, 2, c32); MK_NEON_STORE(3, 3, c33);
    MK_NEON_STORE(4, 0, c40); MK_NEON_STORE(4, 1, c41); MK_NEON_STORE(4, 2, c42); MK_NEON_STORE(4, 3, c43);
    MK_NEON_STORE(5, 0, c50); MK_NEON_STORE(5, 1, c51); MK_NEON_STORE(5, 2, c52); MK_NEON_STORE(5, 3, c53);
}

static const mk_kernel mk_kernel_neon = {6, 16, mk_ukr_neon, mk_pack6, mk_pack16, "neon", MK_KC, MK_MC, MK_NC};

#endif  // __aarch64__

// ---------------------------------------------------------------------------------------------------------------------
// Kernel selection (once; a benign race: every thread computes the same answer).
// ---------------------------------------------------------------------------------------------------------------------
// The kernel called `name` ("avx512", "avx2-fma" or "avx2", "neon", "portable") if this CPU can run it, else NULL.
static const mk_kernel *mk_kernel_named(const char *name) {
    if (name == NULL) return NULL;
    if (strcmp(name, "portable") == 0) return &mk_kernel_portable;
#if defined(__x86_64__)
    __builtin_cpu_init();
    // The AVX-512 functions are compiled for avx512f+bw+vl+dq (the compiler may use any of them): require all four.
    if (strcmp(name, "avx512") == 0 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("fma"))
        return &mk_kernel_avx512;
    if ((strcmp(name, "avx2-fma") == 0 || strcmp(name, "avx2") == 0) && __builtin_cpu_supports("avx2") &&
        __builtin_cpu_supports("fma"))
        return &mk_kernel_avx2;
#elif defined(__aarch64__)
    if (strcmp(name, "neon") == 0) return &mk_kernel_neon;
#endif
    return NULL;
}

// The automatic choice: the widest kernel this CPU runs. MIXUP_GEMM_KERNEL=<name> picks another one it can run, for
// measurement (e.g. the AVX2 path on an AVX-512 CPU); an unknown or unsupported name keeps the automatic choice (the
// benchmarks print mk_kernel_name(), so the kernel actually used is always visible).
static const mk_kernel *mk_select_kernel(void) {
#if defined(MK_FORCE_PORTABLE)  // testing aid: exercise the portable kernel on any machine
    return &mk_kernel_portable;
#else
    const mk_kernel *requested = mk_kernel_named(getenv("MIXUP_GEMM_KERNEL"));
    if (requested != NULL) return requested;
#if defined(__x86_64__)
#if !defined(MK_NO_AVX512)  // testing aid: exercise the AVX2 kernel on an AVX-512 machine
    if (mk_kernel_named("avx512") != NULL) return &mk_kernel_avx512;
#endif
    if (mk_kernel_named("avx2") != NULL) return &mk_kernel_avx2;
    return &mk_kernel_portable;
#elif defined(__aarch64__)
    return &mk_kernel_neon;
#else
    return &mk_kernel_portable;
#endif
#endif
}

static pthread_once_t mk_kernel_once = PTHREAD_ONCE_INIT;
static const mk_kernel *mk_active_kernel;
static void mk_kernel_init(void) { mk_active_kernel = mk_select_kernel(); }
static const mk_kernel *mk_get_kernel(void) {
    pthread_once(&mk_kernel_once, mk_kernel_init);
    return mk_active_kernel;
}

const char *mk_kernel_name(void) { return mk_get_kernel()->name; }

int mk_kernel_available(const char *name) { return mk_kernel_named(name) != NULL; }

const mk_kernel *mk_kernel_for(const char *name) { return name == NULL ? mk_get_kernel() : mk_kernel_named(name); }

// ---------------------------------------------------------------------------------------------------------------------
// Thread count.
// ---------------------------------------------------------------------------------------------------------------------
static int mk_threads = 0;

void mk_set_num_threads(int threads) {
    if (threads < 1) threads = 1;
    if (threads > MK_MAX_THREADS) threads = MK_MAX_THREADS;
    __atomic_store_n(&mk_threads, threads, __ATOMIC_RELAXED);
}

int mk_get_num_threads(void) {
    int t = __atomic_load_n(&mk_threads, __ATOMIC_RELAXED);
    if (t <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        t = n < 1 ? 1 : n > MK_MAX_THREADS ? MK_MAX_THREADS : (int)n;
        __atomic_store_n(&mk_threads, t, __ATOMIC_RELAXED);
    }
    return t;
}

// ---------------------------------------------------------------------------------------------------------------------
// Per-thread packing buffers (grown on demand, freed when the owning thread exits).
// ---------------------------------------------------------------------------------------------------------------------
typedef struct {
    float *p[4];
    size_t cap[4];  // in floats
} mk_buf;

static pthread_key_t mk_buf_key;
static pthread_once_t mk_buf_once = PTHREAD_ONCE_INIT;
static void mk_buf_free(void *v) {
    mk_buf *b = (mk_buf *)v;
    for (int i = 0; i < 4; i++) free(b->p[i]);
    free(b);
}
static void mk_buf_init(void) { pthread_key_create(&mk_buf_key, mk_buf_free); }

// Slot 0: the packing buffers of mk_gemm_rect. Slot 1: a whole pre-packed A (mk_sgemm_conv over a batch). Slot 2:
// the zero-padded image of mk_sgemm_conv. Slot 3: its transposed filter-gradient accumulator.
static float *mk_get_buf_slot(int slot, size_t floats) {
    pthread_once(&mk_buf_once, mk_buf_init);
    mk_buf *b = (mk_buf *)pthread_getspecific(mk_buf_key);
    if (!b) {
        b = (mk_buf *)calloc(1, sizeof *b);
        if (!b) abort();
        pthread_setspecific(mk_buf_key, b);
    }
    if (b->cap[slot] < floats) {
        free(b->p[slot]);
        void *p = NULL;
        if (posix_memalign(&p, 64, floats * sizeof(float)) != 0) abort();
        b->p[slot] = (float *)p;
        b->cap[slot] = floats;
    }
    return b->p[slot];
}
static float *mk_get_buf(size_t floats) { return mk_get_buf_slot(0, floats); }

// ---------------------------------------------------------------------------------------------------------------------
// Sequential blocked GEMM on one rectangle of C.
// The problem is expressed as C = alpha·op(A)·op(B) + beta·C with C addressed as C[i·rsc + j·csc]; csc == 1 is the
// normal case, csc != 1 happens when the driver computes Cᵀ = op(B)ᵀ·op(A)ᵀ instead (narrow N).
// ---------------------------------------------------------------------------------------------------------------------
typedef struct {
    const mk_kernel *kern;
    int transA, transB;
    long M, N, K;
    float alpha, beta;
    const float *A, *B;
    long lda, ldb;
    float *C;
    long rsc, csc;
    // Partition of C into chunks for the thread pool: a tm × tn grid of rectangles on MR / NR multiples.
    int tm, tn;
    // Implicit im2col operand (mk_sgemm_conv): when set, B is this image's column matrix (conv_t: its transpose)
    // and is packed from the image; B and ldb are unused.
    const mk_conv_columns *conv;
    int conv_t;
    // When set: op(A) already packed whole (MR-row panels; the depth block starting at pc at Apacked + pc·Mpad, with
    // Mpad = M rounded up to MR, its rows from ic at + ic·kc), as mk_gemm_rect would pack it block by block.
    const float *Apacked;
} mk_problem;

static inline long mk_min(long a, long b) { return a < b ? a : b; }
static inline long mk_max(long a, long b) { return a > b ? a : b; }
static inline long mk_ceil_div(long a, long b) { return (a + b - 1) / b; }
// Block size ≤ maxb, a multiple of `unit`, splitting n into equal-ish blocks.
static inline long mk_block(long n, long maxb, long unit) {
    long nb = mk_ceil_div(n, maxb);
    return mk_ceil_div(mk_ceil_div(n, nb), unit) * unit;
}

// One MR×NR tile of C (+)= alpha · (packed A micro-panel) · (packed B micro-panel).
static inline void mk_tile(const mk_problem *P, const float *ap, const float *bp, long mr, long nr, long kc,
                           float beta, float *c, float *tile) {
    const mk_kernel *kern = P->kern;
    const long NR = kern->nr;
    if (mr == kern->mr && nr == NR && P->csc == 1) {
        kern->ukr(kc, ap, bp, c, P->rsc, P->alpha, beta);
    } else {
        // Edge or transposed tile: run the same kernel on a scratch tile so that the arithmetic is identical to the
        // full-tile path.
        if (beta != 0.0f)
            for (long i = 0; i < mr; i++)
                for (long j = 0; j < nr; j++) tile[i * NR + j] = c[i * P->rsc + j * P->csc];
        kern->ukr(kc, ap, bp, tile, NR, P->alpha, beta);
        for (long i = 0; i < mr; i++)
            for (long j = 0; j < nr; j++) c[i * P->rsc + j * P->csc] = tile[i * NR + j];
    }
}

// Macro-kernel: the mc×nc block of C at c, from a packed mc×kc block of A and kc×nc block of B.
static void mk_macro_kernel(const mk_problem *P, const float *Ap, const float *Bp, long mc, long nc, long kc,
                            float beta, float *c, float *tile) {
    const long MR = P->kern->mr, NR = P->kern->nr;
    if (kc >= MK_SMALL_KC) {
        // Usual order: one B micro-panel (kc×NR) stays in L1 while all A micro-panels stream from L2.
        for (long jr = 0; jr < nc; jr += NR)
            for (long ir = 0; ir < mc; ir += MR)
                mk_tile(P, Ap + ir * kc, Bp + jr * kc, mk_min(MR, mc - ir), mk_min(NR, nc - jr), kc, beta,
                        c + ir * P->rsc + jr * P->csc, tile);
    } else {
        // Shallow K: the C traffic dominates. Walk C along its rows: going down a column of tiles with a
        // power-of-two ldc (very common: 1024, 512 …) maps every row to the same L1 set (4 KiB aliasing) and runs at
        // less than half speed. The small B block (kc×nc) is cheap to re-read from L1/L2.
        for (long ir = 0; ir < mc; ir += MR)
            for (long jr = 0; jr < nc; jr += NR)
                mk_tile(P, Ap + ir * kc, Bp + jr * kc, mk_min(MR, mc - ir), mk_min(NR, nc - jr), kc, beta,
                        c + ir * P->rsc + jr * P->csc, tile);
    }
}

// ---------------------------------------------------------------------------------------------------------------------
// Implicit im2col packing (mk_sgemm_conv). The column matrix is never written out: its panels are filled straight from
// the image, which replaces the im2col pass, the column buffer's round trip through memory and the packing read of
// the explicit method by one pass over the image.
// ---------------------------------------------------------------------------------------------------------------------

// The packers below read an unpadded geometry (pad_h = pad_w = 0, see mk_sgemm_conv, which pads each image first):
// every element of the column matrix is then an image element, no bounds checks. cols(r, p) with r = (c, ky, kx) and
// p = oy·ow + ox is base_r[oy·s·W + ox·s], base_r = image + (c·H + ky)·W + kx.
static inline const float *mk_conv_base(const mk_conv_columns *g, long r) {
    const long kw = g->kernel_width, khw = g->kernel_height * kw;
    const long c = r / khw, ky = r % khw / kw, kx = r % kw;
    return g->image + (c * g->height + ky) * g->width + kx;
}

// d[0..<len) = cols(r, p..<p + len) for positions p = oy·ow + ox onwards (crossing output rows as needed).
static inline void mk_conv_copy(const mk_conv_columns *g, const float *base, long oy, long ox, long len, float *d) {
    const long s = g->stride, W = g->width, ow = g->out_width;
    while (len > 0) {
        const long run = mk_min(ow - ox, len);
        const float *src = base + oy * s * W + ox * s;
        if (s == 1)
            memcpy(d, src, (size_t)run * sizeof(float));
        else
            for (long i = 0; i < run; i++) d[i] = src[i * s];
        d += run, len -= run, ox = 0, oy++;
    }
}

// Packs columns [jc, jc+nc) × depth [pc, pc+kc) of op(B) into NR-wide, k-major micro-panels (as pack_b does).
// !t: op(B) = cols, so depth is r and a panel row is NR consecutive positions: mostly one stretch of an image row,
//     copied in place.
// t:  op(B) = colsᵀ, so depth is p: the panel's NR rows r are copied into `stage` (NR × kc, in L1), then the
//     kernel's own packer interleaves the block.
static void mk_pack_conv(const mk_kernel *kern, const mk_conv_columns *g, int t, long jc, long pc, long nc, long kc,
                         float *dst, float *stage) {
    const long NR = kern->nr, ow = g->out_width, W = g->width;
    if (!t) {
        const long oy0 = jc / ow, ox0 = jc % ow;
        const int whole = g->stride == 1 && ow >= NR;  // a full panel can lie in one output row
        for (long k = 0; k < kc; k++) {
            const float *base = mk_conv_base(g, pc + k);
            float *d = dst + k * NR;
            long oy = oy0, ox = ox0, left = nc;
            while (left >= NR) {
                if (whole && ox + NR <= ow) {
                    const float *src = base + oy * W + ox;
                    if (NR == 16)
                        memcpy(d, src, 16 * sizeof(float));
                    else if (NR == 32)
                        memcpy(d, src, 32 * sizeof(float));
                    else
                        memcpy(d, src, (size_t)NR * sizeof(float));
                } else {
                    mk_conv_copy(g, base, oy, ox, NR, d);
                }
                ox += NR, left -= NR, d += NR * kc;
                while (ox >= ow) ox -= ow, oy++;
            }
            if (left > 0) {
                mk_conv_copy(g, base, oy, ox, left, d);
                for (long i = left; i < NR; i++) d[i] = 0.0f;
            }
        }
        return;
    }
    for (long j = 0; j < nc; j += NR) {
        const long rn = mk_min(NR, nc - j);
        for (long lane = 0; lane < rn; lane++)
            mk_conv_copy(g, mk_conv_base(g, jc + j + lane), pc / ow, pc % ow, kc, stage + lane * kc);
        kern->pack_b(0, stage, kc, 0, 0, rn, kc, dst + j * kc);
    }
}

// Copies one image [channels, H, W] into a zero-padded [channels, H + 2·pad_h, W + 2·pad_w] buffer.
static void mk_conv_pad(const mk_conv_columns *g, float *padded) {
    const long H = g->height, W = g->width, ph = g->pad_h, pw = g->pad_w, Hp = H + 2 * ph, Wp = W + 2 * pw;
    for (long c = 0; c < g->channels; c++) {
        float *plane = padded + c * Hp * Wp;
        memset(plane, 0, (size_t)(ph * Wp) * sizeof(float));
        for (long y = 0; y < H; y++) {
            float *row = plane + (ph + y) * Wp;
            for (long x = 0; x < pw; x++) row[x] = 0.0f, row[pw + W + x] = 0.0f;
            memcpy(row + pw, g->image + (c * H + y) * W, (size_t)W * sizeof(float));
        }
        memset(plane + (ph + H) * Wp, 0, (size_t)(ph * Wp) * sizeof(float));
    }
}

#define MK_CONV_SLACK 64  // floats readable past the end of a copied image (see mk_gemm_rect_direct)

// Whether a convolution problem runs without packing its columns: the kernel has a direct variant and the stride is 1
// (so 8 consecutive positions of one output row are 8 consecutive image values).
static int mk_conv_direct(const mk_problem *P) {
    const mk_conv_columns *g = P->conv;
    return g && !P->conv_t && P->kern->ukr_direct && P->kern->nr == 16 && g->stride == 1 && g->pad_h == 0 &&
           g->pad_w == 0;
}

// The packed A block of rows [ic, ic+mc) × depth [pc, pc+kc): taken from P->Apacked, or packed into Ap now.
static inline const float *mk_a_block(const mk_problem *P, float *Ap, long ic, long pc, long mc, long kc) {
    const long MR = P->kern->mr;
    if (P->Apacked) return P->Apacked + pc * (mk_ceil_div(P->M, MR) * MR) + ic * kc;
    P->kern->pack_a(P->transA, P->A, P->lda, ic, pc, mc, kc, Ap);
    return Ap;
}

// One mr × nr tile of C (+)= alpha · (packed A micro-panel) · (the image's B values, see mk_ukr_direct_fn); a partial
// tile goes through the same kernel on a scratch tile, and only its mr × nr part is written back.
static inline void mk_tile_direct(const mk_problem *P, const float *ap, const float *lo, const float *hi,
                                  const long *off, long mr, long nr, long kc, float beta, float *c, float *tile) {
    const mk_kernel *kern = P->kern;
    const long NR = kern->nr;
    if (mr == kern->mr && nr == NR) {
        kern->ukr_direct(kc, ap, lo, hi, off, c, P->rsc, P->alpha, beta);
        return;
    }
    if (beta != 0.0f)
        for (long i = 0; i < mr; i++)
            for (long j = 0; j < nr; j++) tile[i * NR + j] = c[i * P->rsc + j];
    kern->ukr_direct(kc, ap, lo, hi, off, tile, NR, P->alpha, beta);
    for (long i = 0; i < mr; i++)
        for (long j = 0; j < nr; j++) c[i * P->rsc + j] = tile[i * NR + j];
}

// mk_gemm_rect for mk_conv_direct problems: A packed as usual, B read from the (padded) image through a table of
// per-depth offsets, off[k] = (c·H + ky)·W + kx for r = pc + k. Rows that are a multiple of 8 wide are tiled as the
// flat position range (each 8-position half lies in one row; a partial last panel is packed); other rows get
// row-aligned panels of up to 16 positions, whose lanes past the row end read the next row or the copied image's
// slack and are discarded.
static void mk_gemm_rect_direct(const mk_problem *P, long m0, long m1, long n0, long n1, long kcb, long mcb, float *Ap,
                                float *tile) {
    const mk_conv_columns *g = P->conv;
    const long MR = P->kern->mr, NR = P->kern->nr, K = P->K, ow = g->out_width, W = g->width;
    const long kw = g->kernel_width, khw = g->kernel_height * kw;
    long off[MK_KC > MK_AVX512_KC ? MK_KC : MK_AVX512_KC];
    float *panel = Ap + ((mcb * kcb + 15) & ~15L);  // after the A block: room for a kc × NR panel (see mk_gemm_rect)
    for (long pc = 0; pc < K; pc += kcb) {
        const long kc = mk_min(kcb, K - pc);
        const float beta = pc == 0 ? P->beta : 1.0f;
        for (long k = 0; k < kc; k++) {
            const long r = pc + k, c = r / khw, ky = r % khw / kw, kx = r % kw;
            off[k] = (c * g->height + ky) * W + kx;
        }
        for (long ic = m0; ic < m1; ic += mcb) {
            const long mc = mk_min(mcb, m1 - ic);
            const float *a = mk_a_block(P, Ap, ic, pc, mc, kc);
            for (long p = n0; p < n1;) {
                const long nr = ow % 8 != 0 ? mk_min(NR, mk_min(n1, (p / ow + 1) * ow) - p) : mk_min(NR, n1 - p);
                float *c = P->C + ic * P->rsc + p;
                const float *lo = g->image + p / ow * W + p % ow;
                if (ow % 8 == 0 && nr < NR) {
                    // The partial last panel of a flat range: pack it (zero past nr), then the usual kernel.
                    for (long k = 0; k < kc; k++) {
                        float *d = panel + k * NR;
                        mk_conv_copy(g, g->image + off[k], p / ow, p % ow, nr, d);
                        for (long j = nr; j < NR; j++) d[j] = 0.0f;
                    }
                    for (long ir = 0; ir < mc; ir += MR)
                        mk_tile(P, a + ir * kc, panel, mk_min(MR, mc - ir), nr, kc, beta, c + ir * P->rsc, tile);
                } else {
                    // Flat: the high half starts 8 positions on, possibly in the next row; row-aligned: 8 floats on.
                    const long q = p + 8;
                    const float *hi = ow % 8 == 0 ? g->image + q / ow * W + q % ow : lo + 8;
                    for (long ir = 0; ir < mc; ir += MR)
                        mk_tile_direct(P, a + ir * kc, lo, hi, off, mk_min(MR, mc - ir), nr, kc, beta,
                                       c + ir * P->rsc, tile);
                }
                p += nr;
            }
        }
    }
}

static void mk_gemm_rect(const mk_problem *P, long m0, long m1, long n0, long n1) {
    const mk_kernel *kern = P->kern;
    const long MR = kern->mr, NR = kern->nr;
    const long m = m1 - m0, n = n1 - n0, K = P->K;
    if (m <= 0 || n <= 0) return;
    const long kcb = mk_block(K, kern->kc, 1);
    const long mcb = mk_block(m, kern->mc, MR);
    const long ncb = mk_block(n, kern->nc, NR);
    // The transposed implicit operand is staged through a block of NR × kc floats after the packed B.
    const long staging = P->conv && P->conv_t ? NR * kcb + 16 : 0;
    float *Ap = mk_get_buf((size_t)(mcb + ncb) * kcb + 64 + (size_t)staging);
    float *Bp = Ap + ((mcb * kcb + 15) & ~15L);
    float *stage = Bp + ((ncb * kcb + 15) & ~15L);
    float tile[MK_MAX_MR * MK_MAX_NR] __attribute__((aligned(64)));

    if (mk_conv_direct(P)) {
        mk_gemm_rect_direct(P, m0, m1, n0, n1, kcb, mcb, Ap, tile);
        return;
    }
    for (long jc = n0; jc < n1; jc += ncb) {
        const long nc = mk_min(ncb, n1 - jc);
        for (long pc = 0; pc < K; pc += kcb) {
            const long kc = mk_min(kcb, K - pc);
            const float beta = pc == 0 ? P->beta : 1.0f;
            // op(B)ᵀ is N×K: stored row-major (N×K) when transB, else as its transpose (K×N).
            if (P->conv)
                mk_pack_conv(kern, P->conv, P->conv_t, jc, pc, nc, kc, Bp, stage);
            else
                kern->pack_b(!P->transB, P->B, P->ldb, jc, pc, nc, kc, Bp);
            for (long ic = m0; ic < m1; ic += mcb) {
                const long mc = mk_min(mcb, m1 - ic);
                const float *a = mk_a_block(P, Ap, ic, pc, mc, kc);
                mk_macro_kernel(P, a, Bp, mc, nc, kc, beta, P->C + ic * P->rsc + jc * P->csc, tile);
            }
        }
    }
}

// Chunk `chunk` of the tm × tn grid of C rectangles (boundaries on MR / NR multiples).
static void mk_gemm_task(void *arg, long chunk) {
    const mk_problem *P = (const mk_problem *)arg;
    const long MR = P->kern->mr, NR = P->kern->nr;
    const long ti = chunk / P->tn, tj = chunk % P->tn;
    const long mt = mk_ceil_div(P->M, MR), nt = mk_ceil_div(P->N, NR);  // tiles
    long m0 = mt * ti / P->tm * MR, m1 = mt * (ti + 1) / P->tm * MR;
    long n0 = nt * tj / P->tn * NR, n1 = nt * (tj + 1) / P->tn * NR;
    mk_gemm_rect(P, m0, mk_min(m1, P->M), n0, mk_min(n1, P->N));
}

// ---------------------------------------------------------------------------------------------------------------------
// Persistent thread pool with dynamic chunk scheduling.
//
// A job is n independent chunks. The caller and the workers claim chunks from a shared counter until none are left;
// the caller returns when all chunks are finished. It never waits for a worker that has not started yet: if a
// sleeping worker wakes up late (a futex wake-up can take tens of µs in a VM), the caller simply does more chunks
// itself. Which thread runs a chunk does not change the result (see the determinism note at the top).
//
// Workers 1..n-1 poll briefly after a job, then sleep on a condition variable. One job runs at a time:
// mk_pool_dispatch serializes concurrent callers.
// ---------------------------------------------------------------------------------------------------------------------
typedef void (*mk_task_fn)(void *arg, long chunk);

// Set while a thread runs a chunk of mk_parallel_for: GEMMs called from inside a chunk run serially on that thread
// (the pool is busy with the enclosing job, and nesting it would deadlock).
static __thread int mk_in_parallel_chunk;

static pthread_mutex_t mk_pool_dispatch = PTHREAD_MUTEX_INITIALIZER;  // held by the caller for a whole job
static pthread_mutex_t mk_pool_mtx = PTHREAD_MUTEX_INITIALIZER;       // protects the job description below
static pthread_cond_t mk_pool_wake = PTHREAD_COND_INITIALIZER;
static int mk_pool_workers;   // workers created so far (thread ids 1..mk_pool_workers)
static int mk_pool_sleepers;  // workers blocked in pthread_cond_wait
static unsigned mk_pool_gen;  // job generation, bumped per job (also read atomically while polling)
static mk_task_fn mk_pool_fn;
static void *mk_pool_arg;
static int mk_pool_nthreads;  // threads allowed to take part, caller included
static unsigned mk_pool_nchunks;
// (generation << 32) | next unclaimed chunk. The generation tag keeps a late worker holding a stale job description
// from claiming a chunk of a newer job.
static unsigned long long mk_pool_next;
static unsigned mk_pool_finished;  // chunks finished in the current job

static inline void mk_cpu_relax(void) {
#if defined(__x86_64__)
    _mm_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

// Claims and runs chunks of job `gen` until there are none left.
static void mk_pool_work(unsigned gen, mk_task_fn fn, void *arg, unsigned n) {
    for (;;) {
        unsigned long long s = __atomic_load_n(&mk_pool_next, __ATOMIC_ACQUIRE);
        do {
            if ((unsigned)(s >> 32) != gen || (unsigned)s >= n) return;
        } while (!__atomic_compare_exchange_n(&mk_pool_next, &s, s + 1, 1, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
        fn(arg, (long)(unsigned)s);
        __atomic_add_fetch(&mk_pool_finished, 1, __ATOMIC_RELEASE);
    }
}

typedef struct {
    int tid;
    unsigned gen0;
} mk_worker_start;

static void *mk_pool_worker(void *p) {
    mk_worker_start st = *(mk_worker_start *)p;
    free(p);
    unsigned seen = st.gen0;
    for (;;) {
        for (int spin = 0; spin < MK_SPIN && __atomic_load_n(&mk_pool_gen, __ATOMIC_ACQUIRE) == seen; spin++)
            mk_cpu_relax();
        pthread_mutex_lock(&mk_pool_mtx);
        while (mk_pool_gen == seen) {
            mk_pool_sleepers++;
            pthread_cond_wait(&mk_pool_wake, &mk_pool_mtx);
            mk_pool_sleepers--;
        }
        seen = mk_pool_gen;
        int participate = st.tid < mk_pool_nthreads;
        mk_task_fn fn = mk_pool_fn;
        void *arg = mk_pool_arg;
        unsigned n = mk_pool_nchunks;
        pthread_mutex_unlock(&mk_pool_mtx);
        if (participate) mk_pool_work(seen, fn, arg, n);
    }
    return NULL;
}

// Runs fn(arg, c) for every chunk c in 0..<nchunks on up to nthreads threads (the caller included).
static void mk_pool_run(mk_task_fn fn, void *arg, long nchunks, int nthreads) {
    pthread_mutex_lock(&mk_pool_dispatch);
    pthread_mutex_lock(&mk_pool_mtx);
    while (mk_pool_workers < nthreads - 1) {
        mk_worker_start *st = (mk_worker_start *)malloc(sizeof *st);
        if (!st) break;
        st->tid = mk_pool_workers + 1;
        st->gen0 = mk_pool_gen;
        pthread_t th;
        if (pthread_create(&th, NULL, mk_pool_worker, st) != 0) {  // the caller will do the work itself
            free(st);
            break;
        }
        pthread_detach(th);
        mk_pool_workers++;
    }
    const unsigned gen = mk_pool_gen + 1, n = (unsigned)nchunks;
    mk_pool_fn = fn;
    mk_pool_arg = arg;
    mk_pool_nthreads = nthreads;
    mk_pool_nchunks = n;
    __atomic_store_n(&mk_pool_finished, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&mk_pool_next, (unsigned long long)gen << 32, __ATOMIC_RELEASE);
    __atomic_store_n(&mk_pool_gen, gen, __ATOMIC_RELEASE);
    if (mk_pool_sleepers > 0) pthread_cond_broadcast(&mk_pool_wake);
    pthread_mutex_unlock(&mk_pool_mtx);

    mk_pool_work(gen, fn, arg, n);
    // Wait for chunks still running on workers (at most one chunk each).
    for (unsigned spin = 0; __atomic_load_n(&mk_pool_finished, __ATOMIC_ACQUIRE) < n; spin++) {
        if (spin < 4096)
            mk_cpu_relax();
        else
            sched_yield();
    }
    pthread_mutex_unlock(&mk_pool_dispatch);
}

// ---------------------------------------------------------------------------------------------------------------------
// Driver.
// ---------------------------------------------------------------------------------------------------------------------

// C ← beta·C (used when K == 0 or alpha == 0; beta == 0 writes zeros without reading C).
static void mk_scale_c(long M, long N, float beta, float *C, long ldc) {
    for (long i = 0; i < M; i++) {
        float *c = C + i * ldc;
        if (beta == 0.0f)
            memset(c, 0, (size_t)N * sizeof(float));
        else if (beta != 1.0f)
            for (long j = 0; j < N; j++) c[j] *= beta;
    }
}

// Fraction of a tiled dimension that is real work (not zero padding).
static double mk_fill(long n, long tile) { return (double)n / (double)(mk_ceil_div(n, tile) * tile); }

static void mk_sgemm_with(const mk_kernel *kern, int transA, int transB, long M, long N, long K, float alpha,
                          const float *A, long lda, const float *B, long ldb, float beta, float *C, long ldc);
static void mk_run_problem(mk_problem *P);

void mk_sgemm(int transA, int transB, long M, long N, long K, float alpha, const float *A, long lda,
              const float *B, long ldb, float beta, float *C, long ldc) {
    mk_sgemm_with(mk_get_kernel(), transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

int mk_sgemm_named(const char *kernel, int transA, int transB, long M, long N, long K, float alpha, const float *A,
                   long lda, const float *B, long ldb, float beta, float *C, long ldc) {
    const mk_kernel *kern = mk_kernel_named(kernel);
    if (kern == NULL) return 0;
    mk_sgemm_with(kern, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    return 1;
}

// Tᵀ-form filter gradient of one sample on one thread, for kernels with ukr_direct_a and stride-1 unpadded (already
// padded) columns: T[R × O] = alpha · cols · dYᵀ + beta · T (ld O), with dY [O × P] (ld ldy). The column matrix is the
// A operand, read from the image through per-position offsets; dYᵀ is packed in NR-wide panels.
// Rows [r0, r1) of T only (r0 a multiple of MR), so that threads can share one sample (see mk_conv_filter_task); each
// tile's arithmetic does not depend on the split, so neither do the results.
static void mk_conv_filter_direct(const mk_kernel *kern, const mk_conv_columns *g, long O, const float *dy, long ldy,
                                  float alpha, float beta, float *T, long r0, long r1) {
    const long MR = kern->mr, NR = kern->nr;
    const long P = g->out_height * g->out_width, ow = g->out_width, W = g->width;
    const long kw = g->kernel_width, khw = g->kernel_height * kw;
    const long kcb = mk_block(P, kern->kc, 1), Opad = mk_ceil_div(O, NR) * NR;
    float *Bp = mk_get_buf((size_t)(Opad * kcb + 64));
    long off[MK_KC > MK_AVX512_KC ? MK_KC : MK_AVX512_KC];
    float tile[MK_MAX_MR * MK_MAX_NR] __attribute__((aligned(64)));
    for (long pc = 0; pc < P; pc += kcb) {
        const long kc = mk_min(kcb, P - pc);
        const float blockBeta = pc == 0 ? beta : 1.0f;
        for (long k = 0, oy = pc / ow, ox = pc % ow; k < kc; k++) {
            off[k] = oy * W + ox;
            if (++ox == ow) ox = 0, oy++;
        }
        kern->pack_b(0, dy, ldy, 0, pc, O, kc, Bp);
        for (long ir = r0; ir < r1; ir += MR) {
            const long mr = mk_min(MR, r1 - ir);
            const float *rows[MK_MAX_MR];
            for (long i = 0; i < MR; i++) {
                const long r = ir + (i < mr ? i : 0), c = r / khw, ky = r % khw / kw, kx = r % kw;
                rows[i] = g->image + (c * g->height + ky) * W + kx;
            }
            for (long jr = 0; jr < O; jr += NR) {
                const long nr = mk_min(NR, O - jr);
                float *c = T + ir * O + jr;
                if (mr == MR && nr == NR) {
                    kern->ukr_direct_a(kc, rows, off, Bp + jr * kc, c, O, alpha, blockBeta);
                    continue;
                }
                if (blockBeta != 0.0f)
                    for (long i = 0; i < mr; i++)
                        for (long j = 0; j < nr; j++) tile[i * NR + j] = c[i * O + j];
                kern->ukr_direct_a(kc, rows, off, Bp + jr * kc, tile, NR, alpha, blockBeta);
                for (long i = 0; i < mr; i++)
                    for (long j = 0; j < nr; j++) c[i * O + j] = tile[i * NR + j];
            }
        }
    }
}

typedef struct {
    const mk_kernel *kern;
    const mk_conv_columns *g;
    long O, ldy, rows, chunks;
    const float *dy;
    float alpha, beta, *T;
} mk_conv_filter_job;

static void mk_conv_filter_task(void *arg, long chunk) {
    const mk_conv_filter_job *j = (const mk_conv_filter_job *)arg;
    const long MR = j->kern->mr, tiles = mk_ceil_div(j->rows, MR);
    const long r0 = tiles * chunk / j->chunks * MR, r1 = mk_min(tiles * (chunk + 1) / j->chunks * MR, j->rows);
    if (r1 > r0) mk_conv_filter_direct(j->kern, j->g, j->O, j->dy, j->ldy, j->alpha, j->beta, j->T, r0, r1);
}

// mk_conv_filter_direct over all rows, split across the pool's threads unless already inside a parallel chunk.
static void mk_conv_filter_rows(const mk_kernel *kern, const mk_conv_columns *g, long O, const float *dy, long ldy,
                                float alpha, float beta, float *T) {
    const long rows = g->channels * g->kernel_height * g->kernel_width;
    const double work = (double)rows * (double)O * (double)(g->out_height * g->out_width);
    int nt = mk_in_parallel_chunk ? 1 : mk_get_num_threads();
    if (work < (double)nt * MK_MIN_WORK_PER_THREAD) nt = (int)(work / MK_MIN_WORK_PER_THREAD);
    if (nt > mk_ceil_div(rows, kern->mr)) nt = (int)mk_ceil_div(rows, kern->mr);
    if (nt <= 1) {
        mk_conv_filter_direct(kern, g, O, dy, ldy, alpha, beta, T, 0, rows);
        return;
    }
    mk_conv_filter_job job = {kern, g, O, ldy, rows, nt, dy, alpha, beta, T};
    mk_pool_run(mk_conv_filter_task, &job, nt, nt);
}

int mk_sgemm_conv(const char *kernel, int transposed, long batch, long M, float alpha, const float *A, long lda,
                  long a_stride, const mk_conv_columns *cols, long image_stride, float beta, float *C, long ldc,
                  long c_stride) {
    const mk_kernel *kern = kernel ? mk_kernel_named(kernel) : mk_get_kernel();
    if (kern == NULL) return 0;
    const long rows = cols->channels * cols->kernel_height * cols->kernel_width;
    const long positions = cols->out_height * cols->out_width;
    const long N = transposed ? rows : positions, K = transposed ? positions : rows;
    if (M <= 0 || N <= 0 || batch <= 0) return 1;
    if (K <= 0 || alpha == 0.0f) {
        for (long s = 0; s < batch; s++) {
            if (c_stride == 0 && s > 0) break;
            mk_scale_c(M, N, beta, C + s * c_stride, ldc);
        }
        return 1;
    }
    // The same A for every sample (a filter): pack it once, not once per sample.
    const float *Apacked = NULL;
    if (batch > 1 && a_stride == 0) {
        const long MR = kern->mr, Mpad = mk_ceil_div(M, MR) * MR, kcb = mk_block(K, kern->kc, 1);
        float *buffer = mk_get_buf_slot(1, (size_t)(Mpad * K));
        for (long pc = 0; pc < K; pc += kcb) kern->pack_a(0, A, lda, 0, pc, M, mk_min(kcb, K - pc), buffer + pc * Mpad);
        Apacked = buffer;
    }
    // Padded images make every column element an image element (no bounds checks in the packers).
    // The direct kernel on rows whose width is not a multiple of 8 reads up to MK_CONV_SLACK floats past a row (lanes
    // it then discards): such images are always copied, into a buffer with zeroed slack after the last row.
    const int overreads = !transposed && kern->ukr_direct && cols->stride == 1 && cols->out_width % 8 != 0;
    const int pad = cols->pad_h > 0 || cols->pad_w > 0 || overreads;
    const long Hp = cols->height + 2 * cols->pad_h, Wp = cols->width + 2 * cols->pad_w;
    const size_t paddedCount = (size_t)(cols->channels * Hp * Wp);
    float *padded = pad ? mk_get_buf_slot(2, paddedCount + MK_CONV_SLACK) : NULL;
    if (pad) memset(padded + paddedCount, 0, MK_CONV_SLACK * sizeof(float));
    // Filter gradient with the columns as an unpacked A operand (stride 1): Tᵀ = Σ cols · dYᵀ is
    // accumulated in a [rows × M] buffer and transposed into C at the end (per sample when c_stride != 0).
    const int filterDirect = transposed && kern->ukr_direct_a && kern->mr == 6 && cols->stride == 1;
    float *Tbuf = filterDirect ? mk_get_buf_slot(3, (size_t)(rows * M)) : NULL;
    for (long s = 0; s < batch; s++) {
        mk_conv_columns sample = *cols;
        sample.image = cols->image + s * image_stride;
        if (pad) {
            mk_conv_pad(&sample, padded);
            sample.image = padded, sample.height = Hp, sample.width = Wp, sample.pad_h = 0, sample.pad_w = 0;
        }
        const float sampleBeta = c_stride == 0 && s > 0 ? 1.0f : beta;
        if (filterDirect) {
            const int accumulate = c_stride == 0 && s > 0;
            mk_conv_filter_rows(kern, &sample, M, A + s * a_stride, lda, alpha, accumulate ? 1.0f : 0.0f, Tbuf);
            if (c_stride == 0 && s + 1 < batch) continue;
            // C (= beta · C) + Tᵀ, or C = Tᵀ when beta == 0 (C not read).
            float *Cs = C + s * c_stride;
            for (long m = 0; m < M; m++) {
                float *crow = Cs + m * ldc;
                if (beta == 0.0f)
                    for (long r = 0; r < rows; r++) crow[r] = Tbuf[r * M + m];
                else
                    for (long r = 0; r < rows; r++) crow[r] = beta * crow[r] + Tbuf[r * M + m];
            }
            continue;
        }
        // No Cᵀ trick here: the implicit operand is always B.
        mk_problem P = {kern, 0, 0, M, N, K, alpha, sampleBeta, A + s * a_stride, NULL, lda, 0, C + s * c_stride, ldc,
                        1, 1, 1, &sample, transposed != 0, Apacked};
        mk_run_problem(&P);
    }
    return 1;
}

static void mk_sgemm_with(const mk_kernel *kern, int transA, int transB, long M, long N, long K, float alpha,
                          const float *A, long lda, const float *B, long ldb, float beta, float *C, long ldc) {
    if (M <= 0 || N <= 0) return;
    if (K <= 0 || alpha == 0.0f) {
        mk_scale_c(M, N, beta, C, ldc);
        return;
    }
    mk_problem P = {kern, transA, transB, M, N, K, alpha, beta, A, B, lda, ldb, C, ldc, 1, 1, 1, NULL, 0, NULL};

    // Narrow N (e.g. a 10-class output layer): computing Cᵀ = op(B)ᵀ·op(A)ᵀ wastes less of the NR-wide tiles.
    // Bit-identical per element (same products, same k order).
    if (mk_fill(N, kern->nr) * mk_fill(M, kern->mr) < 0.85 * mk_fill(M, kern->nr) * mk_fill(N, kern->mr)) {
        P.transA = !transB;
        P.transB = !transA;
        P.M = N;
        P.N = M;
        P.A = B;
        P.lda = ldb;
        P.B = A;
        P.ldb = lda;
        P.rsc = 1;
        P.csc = ldc;
    }

    mk_run_problem(&P);
}

// Runs a prepared problem: picks the thread count and the grid of C rectangles, then computes them.
static void mk_run_problem(mk_problem *Pp) {
    mk_problem P = *Pp;
    const mk_kernel *kern = P.kern;
    // Thread count: at least MK_MIN_WORK_PER_THREAD multiply-adds per thread.
    const double work = (double)P.M * (double)P.N * (double)P.K;
    int nt = mk_in_parallel_chunk ? 1 : mk_get_num_threads();
    if (work < (double)nt * MK_MIN_WORK_PER_THREAD) nt = (int)(work / MK_MIN_WORK_PER_THREAD);
    const long mt = mk_ceil_div(P.M, kern->mr), ntl = mk_ceil_div(P.N, kern->nr);  // tiles
    if (nt > mt * ntl) nt = (int)(mt * ntl);
    if (nt <= 1) {
        mk_gemm_rect(&P, 0, P.M, 0, P.N);
        return;
    }
    // Chunks: one per thread for big problems. Smaller ones (< ~0.5 ms) get up to 4 per thread, so that a
    // worker that wakes up late only costs part of a chunk (see mk_pool_run), as long as chunks stay ≥ ~8 µs.
    long want = nt;
    if (work < (double)(1L << 25)) {
        want = (long)(work / MK_MIN_WORK_PER_THREAD);
        if (want > 4L * nt) want = 4L * nt;
        if (want < nt) want = nt;
    }
    // Grid tm × tn ≥ want chunks minimizing the estimated makespan: rounds of chunks × (padded tile work of a chunk
    // + its packing, since each chunk packs its own rows of A and columns of B).
    double best = -1;
    for (long tm = 1; tm <= mt && tm <= want; tm++) {
        long tn = mk_ceil_div(want, tm);
        if (tn > ntl) continue;
        double rows = (double)mk_ceil_div(mt, tm) * kern->mr, cols = (double)mk_ceil_div(ntl, tn) * kern->nr;
        double chunk = rows * cols + 8.0 * (rows + cols);
        double cost = (double)mk_ceil_div(tm * tn, nt) * chunk;
        if (best < 0 || cost < best) {
            best = cost;
            P.tm = (int)tm;
            P.tn = (int)tn;
        }
    }
    if (best < 0) {  // fewer tiles than wanted chunks: one chunk per tile
        P.tm = (int)mt;
        P.tn = (int)ntl;
    }
    mk_pool_run(mk_gemm_task, &P, (long)P.tm * P.tn, nt);
}

// ---------------------------------------------------------------------------------------------------------------------
// Parallel for on the GEMM thread pool, for the engine's other loops (convolution lowering, elementwise work), so that
// everything runs on the same spinning workers instead of a second thread pool competing for the cores.
// ---------------------------------------------------------------------------------------------------------------------
typedef struct {
    void (*fn)(void *ctx, long chunk);
    void *ctx;
} mk_pfor_job;

static void mk_pfor_task(void *arg, long chunk) {
    const mk_pfor_job *job = (const mk_pfor_job *)arg;
    const int saved = mk_in_parallel_chunk;
    mk_in_parallel_chunk = 1;
    job->fn(job->ctx, chunk);
    mk_in_parallel_chunk = saved;
}

void mk_parallel_for(long nchunks, void (*fn)(void *ctx, long chunk), void *ctx) {
    if (nchunks <= 0) return;
    int nt = mk_in_parallel_chunk ? 1 : mk_get_num_threads();
    if (nt > nchunks) nt = (int)nchunks;
    if (nt <= 1) {
        for (long c = 0; c < nchunks; c++) fn(ctx, c);
        return;
    }
    mk_pfor_job job = {fn, ctx};
    mk_pool_run(mk_pfor_task, &job, nchunks, nt);
}
