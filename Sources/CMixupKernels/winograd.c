// Winograd F(2×2, 3×3) convolution (Lavin & Gray, CVPR 2016, "Fast Algorithms for Convolutional Neural Networks").
//
// Each 2×2 block of output pixels ("tile") is computed from the 4×4 input patch d under it as
// Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A: 16 products per tile and channel pair instead of 36. Over many channels the
// element-wise products become 16 independent GEMMs, M[ξ] (K × tiles) = U[ξ] (K × C) · V[ξ] (C × tiles), one per
// position ξ of the 4×4 transformed tile, run on the GEMM micro-kernel (mk_kernel.h): U[ξ] is packed once per call,
// and the input transform writes V[ξ] straight into the kernel's packed panel layout (no separate packing pass).
//
//   Bᵀ = | 1  0 -1  0 |    G = | 1    0    0   |    Aᵀ = | 1  1  1  0 |
//        | 0  1  1  0 |        | 1/2  1/2  1/2 |         | 0  1 -1 -1 |
//        | 0 -1  1  0 |        | 1/2 -1/2  1/2 |
//        | 0  1  0 -1 |        | 0    0    1   |
//
// Tiles are processed in blocks of whole tile rows (possibly spanning samples) so that V and M of one block stay in
// the L2 cache. The transforms are separable and run along image rows: the vertical half of Bᵀ d B combines four
// padded input rows element-wise (a loop the compiler vectorises; an AVX2 build of the same code is used where the CPU
// has it), the horizontal half reads even and odd columns and stores each tile's values into its panel lane.
//
// Determinism: each output is one tile's transform of GEMM results whose arithmetic does not depend on the tile's
// place in a block (the micro-kernel's FMA order depends only on the depth), so results are bit-identical however the
// batch is split.
#include "mixup_kernels.h"
#include "mk_kernel.h"

#include <stdlib.h>
#include <string.h>

// V and M of one block together take at most about this many bytes (half of a 512 KB–1 MB L2).
#ifndef MK_WINOGRAD_BLOCK_BYTES
#define MK_WINOGRAD_BLOCK_BYTES (384L * 1024)
#endif

// Below this many input or output channels the GEMMs of F(2×2, 3×3) are too shallow or too narrow to beat the direct
// convolution. Measured with `mixbench conv` at 1 thread, batch 128 (forward ms, direct → Winograd): 16→16 on 32×32
// 17.0 → 18.7 (slower), 32→32 on 16×16 17.3 → 15.9, 32→32 on 28×28 60.9 → 48.0, 64→64 on 14×14 56.9 → 37.4.
#ifndef MK_WINOGRAD_MIN_CHANNELS
#define MK_WINOGRAD_MIN_CHANNELS 32
#endif

int mk_winograd_f2x3_applies(long in_channels, long out_channels) {
    // Read on every call (once per convolution; a getenv is far cheaper than the layer) rather than cached in a
    // static that threads would race on.
    const char *value = getenv("MIXUP_WINOGRAD");
    if (value != NULL && value[0] != '\0') return value[0] == '0' ? 0 : 1;
    return in_channels >= MK_WINOGRAD_MIN_CHANNELS && out_channels >= MK_WINOGRAD_MIN_CHANNELS;
}

void mk_winograd_f2x3_filter(long K, long C, const float *filter, float *U) {
    const long xs = K * C;  // stride between the 16 positions ξ
    for (long k = 0; k < K; k++) {
        for (long c = 0; c < C; c++) {
            const float *g = filter + (k * C + c) * 9;
            // G g: 4 rows of 3.
            float t[4][3];
            for (int j = 0; j < 3; j++) {
                float g0 = g[j], g1 = g[3 + j], g2 = g[6 + j];
                t[0][j] = g0;
                t[1][j] = 0.5f * (g0 + g1 + g2);
                t[2][j] = 0.5f * (g0 - g1 + g2);
                t[3][j] = g2;
            }
            // (G g) Gᵀ: 4 × 4.
            float *u = U + k * C + c;
            for (int i = 0; i < 4; i++) {
                float h0 = t[i][0], h1 = t[i][1], h2 = t[i][2];
                u[(4 * i + 0) * xs] = h0;
                u[(4 * i + 1) * xs] = 0.5f * (h0 + h1 + h2);
                u[(4 * i + 2) * xs] = 0.5f * (h0 - h1 + h2);
                u[(4 * i + 3) * xs] = h2;
            }
        }
    }
}

typedef struct {
    long C, K, H, W, pad;
    long OH, OW, TY, TX;  // output size, tiles per column and per row
    long Wp;              // padded row width read by the transform: 2·TX + 2
} mk_wg_geometry;

// Input transform of tile row ty of one channel plane into the packed B operand: the value of position ξ for tile
// column tx goes to v[ξ·xs + off[tx]] (off: the tiles' places in the NR-wide micro-panels). rows: scratch of 8·Wp
// floats (the four padded input rows, then their vertical transforms).
static inline __attribute__((always_inline)) void mk_wg_input_row(const mk_wg_geometry *g, const float *plane,
                                                                   long ty, float *rows, float *v, long xs,
                                                                   const long *off) {
    const long Wp = g->Wp, W = g->W, pad = g->pad, TX = g->TX;
    for (int r = 0; r < 4; r++) {
        long iy = 2 * ty + r - pad;
        float *dst = rows + r * Wp;
        if (iy < 0 || iy >= g->H) {
            memset(dst, 0, (size_t)Wp * sizeof(float));
            continue;
        }
        // dst[j] = plane[iy][j − pad] inside the image, 0 outside.
        long left = pad < Wp ? pad : Wp;
        long copy = W < Wp - left ? W : Wp - left;
        memset(dst, 0, (size_t)left * sizeof(float));
        memcpy(dst + left, plane + iy * W, (size_t)copy * sizeof(float));
        if (left + copy < Wp) memset(dst + left + copy, 0, (size_t)(Wp - left - copy) * sizeof(float));
    }
    const float *restrict r0 = rows, *restrict r1 = rows + Wp, *restrict r2 = rows + 2 * Wp,
                          *restrict r3 = rows + 3 * Wp;
    float *restrict t0 = rows + 4 * Wp, *restrict t1 = rows + 5 * Wp, *restrict t2 = rows + 6 * Wp,
                    *restrict t3 = rows + 7 * Wp;
    for (long x = 0; x < Wp; x++) {
        float a = r0[x], b = r1[x], c = r2[x], d = r3[x];
        t0[x] = a - c;
        t1[x] = b + c;
        t2[x] = c - b;
        t3[x] = b - d;
    }
    const float *t[4] = {t0, t1, t2, t3};
    for (int i = 0; i < 4; i++) {
        const float *ti = t[i];
        float *v0 = v + (4 * i + 0) * xs, *v1 = v + (4 * i + 1) * xs, *v2 = v + (4 * i + 2) * xs,
              *v3 = v + (4 * i + 3) * xs;
        for (long tx = 0; tx < TX; tx++) {
            float a = ti[2 * tx], b = ti[2 * tx + 1], c = ti[2 * tx + 2], d = ti[2 * tx + 3];
            long o = off[tx];
            v0[o] = a - c;
            v1[o] = b + c;
            v2[o] = c - b;
            v3[o] = b - d;
        }
    }
}

// Output transform of tile row ty for output channel plane `out` ([OH, OW]): m points at M[0][k][col] (stride xs
// between positions ξ). out = Aᵀ m A (+ beta · out; beta == 0: out is not read).
static inline __attribute__((always_inline)) void mk_wg_output_row(const mk_wg_geometry *g, const float *m, long xs,
                                                                    long ty, float beta, float *out) {
    const long TX = g->TX, OW = g->OW;
    const long y0 = 2 * ty;
    const int second_row = y0 + 1 < g->OH;
    float *o0 = out + y0 * OW, *o1 = out + (y0 + 1) * OW;
    const long full = OW / 2;  // tiles whose two columns are both inside the output
    for (long tx = 0; tx < TX; tx++) {
        float z[4][2];
        for (int i = 0; i < 4; i++) {
            float a = m[(4 * i + 0) * xs + tx], b = m[(4 * i + 1) * xs + tx], c = m[(4 * i + 2) * xs + tx],
                  d = m[(4 * i + 3) * xs + tx];
            z[i][0] = a + b + c;
            z[i][1] = b - c - d;
        }
        float y00 = z[0][0] + z[1][0] + z[2][0], y01 = z[0][1] + z[1][1] + z[2][1];
        float y10 = z[1][0] - z[2][0] - z[3][0], y11 = z[1][1] - z[2][1] - z[3][1];
        long x = 2 * tx;
        if (beta == 0.0f) {
            o0[x] = y00;
            if (tx < full) o0[x + 1] = y01;
            if (second_row) {
                o1[x] = y10;
                if (tx < full) o1[x + 1] = y11;
            }
        } else {
            o0[x] = y00 + beta * o0[x];
            if (tx < full) o0[x + 1] = y01 + beta * o0[x + 1];
            if (second_row) {
                o1[x] = y10 + beta * o1[x];
                if (tx < full) o1[x + 1] = y11 + beta * o1[x + 1];
            }
        }
    }
}

typedef void (*mk_wg_input_fn)(const mk_wg_geometry *, const float *, long, float *, float *, long, const long *);
typedef void (*mk_wg_output_fn)(const mk_wg_geometry *, const float *, long, long, float, float *);

static void mk_wg_input_portable(const mk_wg_geometry *g, const float *p, long ty, float *rows, float *v, long xs,
                                 const long *off) {
    mk_wg_input_row(g, p, ty, rows, v, xs, off);
}
static void mk_wg_output_portable(const mk_wg_geometry *g, const float *m, long xs, long ty, float beta, float *o) {
    mk_wg_output_row(g, m, xs, ty, beta, o);
}
#if defined(__x86_64__)
// The same loops compiled for AVX2 (8-wide) where the CPU has it.
__attribute__((target("avx2,fma"))) static void mk_wg_input_avx2(const mk_wg_geometry *g, const float *p, long ty,
                                                                 float *rows, float *v, long xs, const long *off) {
    mk_wg_input_row(g, p, ty, rows, v, xs, off);
}
__attribute__((target("avx2,fma"))) static void mk_wg_output_avx2(const mk_wg_geometry *g, const float *m, long xs,
                                                                  long ty, float beta, float *o) {
    mk_wg_output_row(g, m, xs, ty, beta, o);
}
#endif

int mk_winograd_f2x3_conv(const char *kernel, long batch, long C, long K, long H, long W, long pad, const float *U,
                          const float *x, long x_stride, float beta, float *y, long y_stride) {
    const mk_kernel *kern = mk_kernel_for(kernel);
    if (kern == NULL) return 0;
    mk_wg_geometry g;
    g.C = C;
    g.K = K;
    g.H = H;
    g.W = W;
    g.pad = pad;
    g.OH = H + 2 * pad - 2;
    g.OW = W + 2 * pad - 2;
    if (batch <= 0 || g.OH <= 0 || g.OW <= 0 || C <= 0 || K <= 0) return 1;
    g.TY = (g.OH + 1) / 2;
    g.TX = (g.OW + 1) / 2;
    g.Wp = 2 * g.TX + 2;
    mk_wg_input_fn input = mk_wg_input_portable;
    mk_wg_output_fn output = mk_wg_output_portable;
#if defined(__x86_64__)
    if (strcmp(kern->name, "portable") != 0) {
        input = mk_wg_input_avx2;
        output = mk_wg_output_avx2;
    }
#endif
    const long MR = kern->mr, NR = kern->nr;
    const long Kp = (K + MR - 1) / MR * MR;  // M rows padded to whole micro-tiles
    // The depth C in nearly equal blocks of at most kern->kc (rank-kc updates of M, the first with β = 0).
    const long depth_blocks = (C + kern->kc - 1) / kern->kc;
    const long kcb = (C + depth_blocks - 1) / depth_blocks;
    // A block holds `rows_per_block` tile rows (of any samples): V (packed) is 16 × C × ntp, M is 16 × Kp × ntp.
    const long tile_rows = batch * g.TY;
    long rows_per_block = MK_WINOGRAD_BLOCK_BYTES / (16L * (long)sizeof(float) * (C + Kp) * g.TX);
    if (rows_per_block < 1) rows_per_block = 1;
    if (rows_per_block > tile_rows) rows_per_block = tile_rows;
    const long max_ntp = (rows_per_block * g.TX + NR - 1) / NR * NR;
    // Scratch: packed U (16 × Kp × C), packed V, M, the input rows and the tile-offset table.
    const size_t floats = (size_t)(16 * Kp * C + 16 * C * max_ntp + 16 * Kp * max_ntp + 8 * g.Wp);
    float *Ap = NULL;
    if (posix_memalign((void **)&Ap, 64, floats * sizeof(float) + (size_t)max_ntp * sizeof(long)) != 0) return -1;
    float *Vp = Ap + 16 * Kp * C;
    float *M = Vp + 16 * C * max_ntp;
    float *rows = M + 16 * Kp * max_ntp;
    long *off = (long *)(rows + 8 * g.Wp);
    // Pack each U[ξ] (K × C, row-major) once: per depth block, MR-row micro-panels (rows past K are zero).
    for (int xi = 0; xi < 16; xi++) {
        float *dst = Ap + xi * Kp * C;
        for (long p0 = 0; p0 < C; p0 += kcb) {
            long kc = C - p0 < kcb ? C - p0 : kcb;
            kern->pack_a(0, U + xi * K * C, C, 0, p0, K, kc, dst);
            dst += Kp * kc;
        }
    }
    const long out_plane = g.OH * g.OW;
    for (long first = 0; first < tile_rows; first += rows_per_block) {
        const long count = tile_rows - first < rows_per_block ? tile_rows - first : rows_per_block;
        const long nt = count * g.TX, ntp = (nt + NR - 1) / NR * NR;
        const long vxs = C * ntp, mxs = Kp * ntp;
        // V[ξ] is the packed B operand: per depth block of kc channels, NR-tile micro-panels of kc × NR values.
        for (long p0 = 0; p0 < C; p0 += kcb) {
            long kc = C - p0 < kcb ? C - p0 : kcb;
            float *block = Vp + p0 * ntp;
            if (nt < ntp) {  // the lanes past the last tile: zeros (their M columns are never read)
                for (int xi = 0; xi < 16; xi++) {
                    float *last = block + xi * vxs + (ntp / NR - 1) * kc * NR;
                    for (long c = 0; c < kc; c++) {
                        memset(last + c * NR + nt % NR, 0, (size_t)(ntp - nt) * sizeof(float));
                    }
                }
            }
            for (long r = 0; r < count; r++) {
                long s = (first + r) / g.TY, ty = (first + r) % g.TY;
                const float *image = x + s * x_stride;
                for (long tx = 0; tx < g.TX; tx++) {
                    long t = r * g.TX + tx;
                    off[tx] = t / NR * kc * NR + t % NR;
                }
                for (long c = 0; c < kc; c++) {
                    input(&g, image + (p0 + c) * H * W, ty, rows, block + c * NR, vxs, off);
                }
            }
        }
        // M[ξ] (Kp × ntp, row-major) = U[ξ] · V[ξ], whole micro-tiles.
        for (int xi = 0; xi < 16; xi++) {
            const float *a_xi = Ap + xi * Kp * C;
            const float *b_xi = Vp + xi * vxs;
            float *m_xi = M + xi * mxs;
            for (long p0 = 0; p0 < C; p0 += kcb) {
                long kc = C - p0 < kcb ? C - p0 : kcb;
                const float *a_block = a_xi + Kp * p0, *b_block = b_xi + p0 * ntp;
                float block_beta = p0 == 0 ? 0.0f : 1.0f;
                for (long j = 0; j < ntp; j += NR) {
                    const float *bp = b_block + j * kc;
                    for (long i = 0; i < Kp; i += MR) {
                        kern->ukr(kc, a_block + i * kc, bp, m_xi + i * ntp + j, ntp, 1.0f, block_beta);
                    }
                }
            }
        }
        for (long r = 0; r < count; r++) {
            long s = (first + r) / g.TY, ty = (first + r) % g.TY;
            float *sample_out = y + s * y_stride;
            for (long k = 0; k < K; k++) output(&g, M + k * ntp + r * g.TX, mxs, ty, beta, sample_out + k * out_plane);
        }
    }
    free(Ap);
    return 1;
}
