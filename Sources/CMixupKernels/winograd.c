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

#if defined(__x86_64__)
#include <immintrin.h>
#endif

// V and M of one block together take at most about this many bytes (half of a 512 KB–1 MB L2).
#ifndef MK_WINOGRAD_BLOCK_BYTES
#define MK_WINOGRAD_BLOCK_BYTES (384L * 1024)
#endif

// Floats added to the stride between the 16 positions ξ of V and M: with power-of-two strides the 16 stores of one
// tile's transform would land in the same cache sets.
#define MK_WINOGRAD_SKEW 16

// Tiles per block of the filter gradient (the depth of its GEMMs).
#ifndef MK_WINOGRAD_GRADIENT_TILES
#define MK_WINOGRAD_GRADIENT_TILES 256
#endif

// Below this many input or output channels the GEMMs of F(2×2, 3×3) are too shallow or too narrow to beat the direct
// kernels: for the forward pass and the input gradient, and (higher) for the filter gradient, whose transforms cost
// more. Measured by `Benchmarks/winograd_layers.sh` (1 thread, batch 128, idle; ms, direct → Winograd for all three
// passes): 16→16 on 32×32 forward 17.9 → 14.6 but backward 41.7 → 46.7; 32→32 on 16×16 forward 16.7 → 13.1,
// backward 34.9 → 31.9; 64→64 on 14×14 forward 56.3 → 36.3, backward 106.3 → 74.2.
#ifndef MK_WINOGRAD_MIN_CHANNELS
#define MK_WINOGRAD_MIN_CHANNELS 16
#endif
#ifndef MK_WINOGRAD_GRADIENT_MIN_CHANNELS
#define MK_WINOGRAD_GRADIENT_MIN_CHANNELS 32
#endif

// MIXUP_WINOGRAD=0 / =1 (read on every call — once per convolution, far cheaper than the layer — rather than cached
// in a static that threads would race on): -1 when unset or empty.
static int mk_winograd_override(void) {
    const char *value = getenv("MIXUP_WINOGRAD");
    if (value == NULL || value[0] == '\0') return -1;
    return value[0] == '0' ? 0 : 1;
}

int mk_winograd_f2x3_applies(long in_channels, long out_channels) {
    int forced = mk_winograd_override();
    if (forced >= 0) return forced;
    return in_channels >= MK_WINOGRAD_MIN_CHANNELS && out_channels >= MK_WINOGRAD_MIN_CHANNELS;
}

int mk_winograd_f2x3_filter_gradient_applies(long in_channels, long out_channels) {
    int forced = mk_winograd_override();
    if (forced >= 0) return forced;
    return in_channels >= MK_WINOGRAD_GRADIENT_MIN_CHANNELS && out_channels >= MK_WINOGRAD_GRADIENT_MIN_CHANNELS;
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
//
// First the vertical half: the four zero-padded input rows under the tile row, combined element-wise into t0..t3.
static inline __attribute__((always_inline)) void mk_wg_input_vertical(const mk_wg_geometry *g, const float *plane,
                                                                        long ty, float *rows) {
    const long Wp = g->Wp, W = g->W, pad = g->pad;
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
}

// Then the horizontal half for one tile column tx of vertical row ti (positions ξ = 4i … 4i + 3).
static inline __attribute__((always_inline)) void mk_wg_input_tile(const float *ti, long tx, float *v, long xs,
                                                                    long o) {
    float a = ti[2 * tx], b = ti[2 * tx + 1], c = ti[2 * tx + 2], d = ti[2 * tx + 3];
    v[o] = a - c;
    v[xs + o] = b + c;
    v[2 * xs + o] = c - b;
    v[3 * xs + o] = b - d;
}

// Output transform of tile row ty (its tiles from tx0 on) for output channel plane `out` ([OH, OW]): m points at
// M[0][k][col] (stride xs between positions ξ). out = Aᵀ m A (+ beta · out; beta == 0: out is not read).
static inline __attribute__((always_inline)) void mk_wg_output_row(const mk_wg_geometry *g, const float *m, long xs,
                                                                    long ty, float beta, float *out, long tx0) {
    const long TX = g->TX, OW = g->OW;
    const long y0 = 2 * ty;
    const int second_row = y0 + 1 < g->OH;
    float *o0 = out + y0 * OW, *o1 = out + (y0 + 1) * OW;
    const long full = OW / 2;  // tiles whose two columns are both inside the output
    for (long tx = tx0; tx < TX; tx++) {
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

// The geometry of a 3×3, stride-1 convolution of [C, H, W] images into K channels with zero padding `pad`.
static mk_wg_geometry mk_wg_make_geometry(long C, long K, long H, long W, long pad) {
    mk_wg_geometry g;
    g.C = C;
    g.K = K;
    g.H = H;
    g.W = W;
    g.pad = pad;
    g.OH = H + 2 * pad - 2;
    g.OW = W + 2 * pad - 2;
    g.TY = g.OH > 0 ? (g.OH + 1) / 2 : 0;
    g.TX = g.OW > 0 ? (g.OW + 1) / 2 : 0;
    g.Wp = 2 * g.TX + 2;
    return g;
}

typedef void (*mk_wg_input_fn)(const mk_wg_geometry *, const float *, long, float *, float *, long, const long *);
typedef void (*mk_wg_output_fn)(const mk_wg_geometry *, const float *, long, long, float, float *);

static void mk_wg_input_portable(const mk_wg_geometry *g, const float *p, long ty, float *rows, float *v, long xs,
                                 const long *off) {
    mk_wg_input_vertical(g, p, ty, rows);
    for (int i = 0; i < 4; i++) {
        const float *ti = rows + (4 + i) * g->Wp;
        for (long tx = 0; tx < g->TX; tx++) mk_wg_input_tile(ti, tx, v + 4 * i * xs, xs, off[tx]);
    }
}
static void mk_wg_output_portable(const mk_wg_geometry *g, const float *m, long xs, long ty, float beta, float *o) {
    mk_wg_output_row(g, m, xs, ty, beta, o, 0);
}
#if defined(__x86_64__)
// AVX2 versions, used where the CPU has it.
// The horizontal half 8 tiles at a time where their lanes are consecutive: the even and odd columns of 16 vertical
// values (a, b) and of the 16 two columns further (c, d) are split by two shuffles and a lane permutation each.
__attribute__((target("avx2,fma"))) static void mk_wg_input_avx2(const mk_wg_geometry *g, const float *p, long ty,
                                                                 float *rows, float *v, long xs, const long *off) {
    mk_wg_input_vertical(g, p, ty, rows);
    const long TX = g->TX;
    for (int i = 0; i < 4; i++) {
        const float *ti = rows + (4 + i) * g->Wp;
        float *vi = v + 4 * i * xs;
        long tx = 0;
        while (tx < TX) {
            if (tx + 8 <= TX && off[tx + 7] - off[tx] == 7) {  // reads ti[2tx … 2tx + 17] ≤ ti[Wp − 1]
                const float *e = ti + 2 * tx;
                __m256 lo = _mm256_loadu_ps(e), hi = _mm256_loadu_ps(e + 8);
                __m256 lo2 = _mm256_loadu_ps(e + 2), hi2 = _mm256_loadu_ps(e + 10);
                __m256 a = _mm256_castpd_ps(
                    _mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(lo, hi, 0x88)), 0xD8));
                __m256 b = _mm256_castpd_ps(
                    _mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(lo, hi, 0xDD)), 0xD8));
                __m256 c = _mm256_castpd_ps(
                    _mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(lo2, hi2, 0x88)), 0xD8));
                __m256 d = _mm256_castpd_ps(
                    _mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(lo2, hi2, 0xDD)), 0xD8));
                long o = off[tx];
                _mm256_storeu_ps(vi + o, _mm256_sub_ps(a, c));
                _mm256_storeu_ps(vi + xs + o, _mm256_add_ps(b, c));
                _mm256_storeu_ps(vi + 2 * xs + o, _mm256_sub_ps(c, b));
                _mm256_storeu_ps(vi + 3 * xs + o, _mm256_sub_ps(b, d));
                tx += 8;
            } else {
                mk_wg_input_tile(ti, tx, vi, xs, off[tx]);
                tx += 1;
            }
        }
    }
}
// Stores the 16 outputs of 8 tiles' row (x0 = columns 2tx, x1 = columns 2tx + 1) interleaved, + beta · out.
__attribute__((target("avx2,fma"))) static inline void mk_wg_store_pairs(float *out, __m256 x0, __m256 x1,
                                                                          float beta) {
    __m256 lo = _mm256_unpacklo_ps(x0, x1), hi = _mm256_unpackhi_ps(x0, x1);
    __m256 first = _mm256_permute2f128_ps(lo, hi, 0x20), second = _mm256_permute2f128_ps(lo, hi, 0x31);
    if (beta != 0.0f) {
        __m256 b = _mm256_set1_ps(beta);
        first = _mm256_fmadd_ps(b, _mm256_loadu_ps(out), first);
        second = _mm256_fmadd_ps(b, _mm256_loadu_ps(out + 8), second);
    }
    _mm256_storeu_ps(out, first);
    _mm256_storeu_ps(out + 8, second);
}

// The output transform 8 tiles at a time while their 16 columns are all inside the output; the rest tile by tile.
__attribute__((target("avx2,fma"))) static void mk_wg_output_avx2(const mk_wg_geometry *g, const float *m, long xs,
                                                                  long ty, float beta, float *o) {
    const long TX = g->TX, OW = g->OW;
    const long y0 = 2 * ty;
    const int second_row = y0 + 1 < g->OH;
    long tx = 0;
    for (; 2 * tx + 16 <= OW; tx += 8) {
        __m256 z0[4], z1[4];
        for (int i = 0; i < 4; i++) {
            __m256 a = _mm256_loadu_ps(m + (4 * i + 0) * xs + tx), b = _mm256_loadu_ps(m + (4 * i + 1) * xs + tx);
            __m256 c = _mm256_loadu_ps(m + (4 * i + 2) * xs + tx), d = _mm256_loadu_ps(m + (4 * i + 3) * xs + tx);
            z0[i] = _mm256_add_ps(_mm256_add_ps(a, b), c);
            z1[i] = _mm256_sub_ps(_mm256_sub_ps(b, c), d);
        }
        __m256 y00 = _mm256_add_ps(_mm256_add_ps(z0[0], z0[1]), z0[2]);
        __m256 y01 = _mm256_add_ps(_mm256_add_ps(z1[0], z1[1]), z1[2]);
        mk_wg_store_pairs(o + y0 * OW + 2 * tx, y00, y01, beta);
        if (second_row) {
            __m256 y10 = _mm256_sub_ps(_mm256_sub_ps(z0[1], z0[2]), z0[3]);
            __m256 y11 = _mm256_sub_ps(_mm256_sub_ps(z1[1], z1[2]), z1[3]);
            mk_wg_store_pairs(o + (y0 + 1) * OW + 2 * tx, y10, y11, beta);
        }
    }
    if (tx < TX) mk_wg_output_row(g, m, xs, ty, beta, o, tx);
}
#endif

int mk_winograd_f2x3_conv(const char *kernel, long batch, long C, long K, long H, long W, long pad, const float *U,
                          const float *x, long x_stride, float beta, float *y, long y_stride) {
    const mk_kernel *kern = mk_kernel_for(kernel);
    if (kern == NULL) return 0;
    mk_wg_geometry g = mk_wg_make_geometry(C, K, H, W, pad);
    if (batch <= 0 || g.OH <= 0 || g.OW <= 0 || C <= 0 || K <= 0) return 1;
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
    const size_t floats = (size_t)(16 * Kp * C + 16 * (C * max_ntp + MK_WINOGRAD_SKEW) +
                                   16 * (Kp * max_ntp + MK_WINOGRAD_SKEW) + 8 * g.Wp);
    float *Ap = NULL;
    if (posix_memalign((void **)&Ap, 64, floats * sizeof(float) + (size_t)max_ntp * sizeof(long)) != 0) return -1;
    float *Vp = Ap + 16 * Kp * C;
    float *M = Vp + 16 * (C * max_ntp + MK_WINOGRAD_SKEW);
    float *rows = M + 16 * (Kp * max_ntp + MK_WINOGRAD_SKEW);
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
        const long vxs = C * ntp + MK_WINOGRAD_SKEW, mxs = Kp * ntp + MK_WINOGRAD_SKEW;
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

// ---------------------------------------------------------------------------------------------------------------------
// Filter gradient. The forward pass is Y = Aᵀ[U ⊙ V]A per tile with U = G g Gᵀ, so by the adjoints of these linear
// maps dU = Σ_tiles (A dY Aᵀ) ⊙ V and dg = Gᵀ dU G: the same input transform V, the output gradient of each tile
// transformed by A (4 × 2) into 4 × 4, then 16 GEMMs dU[ξ] (K × C) += dM[ξ] (K × tiles) · V[ξ]ᵀ (tiles × C) whose depth
// is the number of tiles, and a final 4 × 4 → 3 × 3 transform per filter.
// ---------------------------------------------------------------------------------------------------------------------

// A dY Aᵀ of tile row ty of one output-gradient plane ([OH, OW]; values past the output's edge count as 0), the value
// of position ξ of tile column tx stored at m[ξ·xs + tx·step].
static void mk_wg_gradient_row(const mk_wg_geometry *g, const float *plane, long ty, float *m, long xs, long step) {
    const long OW = g->OW, y0 = 2 * ty;
    const float *row0 = plane + y0 * OW, *row1 = y0 + 1 < g->OH ? plane + (y0 + 1) * OW : NULL;
    for (long tx = 0; tx < g->TX; tx++) {
        long x = 2 * tx;
        int second = x + 1 < OW;
        float p = row0[x], q = second ? row0[x + 1] : 0.0f;
        float r = row1 ? row1[x] : 0.0f, s = row1 && second ? row1[x + 1] : 0.0f;
        // A dY: rows [p, q], [p + r, q + s], [p − r, q − s], [−r, −s]; then each row [u, w] → [u, u + w, u − w, −w].
        float rows[4][2] = {{p, q}, {p + r, q + s}, {p - r, q - s}, {-r, -s}};
        float *o = m + tx * step;
        for (int i = 0; i < 4; i++) {
            float u = rows[i][0], w = rows[i][1];
            o[(4 * i + 0) * xs] = u;
            o[(4 * i + 1) * xs] = u + w;
            o[(4 * i + 2) * xs] = u - w;
            o[(4 * i + 3) * xs] = -w;
        }
    }
}

int mk_winograd_f2x3_filter_gradient(const char *kernel, long batch, long C, long K, long H, long W, long pad,
                                     const float *x, long x_stride, const float *dy, long dy_stride, float *dW) {
    const mk_kernel *kern = mk_kernel_for(kernel);
    if (kern == NULL) return 0;
    mk_wg_geometry g = mk_wg_make_geometry(C, K, H, W, pad);
    if (C <= 0 || K <= 0) return 1;
    if (batch <= 0 || g.OH <= 0 || g.OW <= 0) {
        memset(dW, 0, (size_t)(K * C * 9) * sizeof(float));
        return 1;
    }
    const long MR = kern->mr, NR = kern->nr;
    const long Kp = (K + MR - 1) / MR * MR, Cp = (C + NR - 1) / NR * NR;
    const long tile_rows = batch * g.TY;
    // The GEMMs' depth is the block's tile count: blocks of about MK_WINOGRAD_GRADIENT_TILES tiles keep the per-call
    // overhead of the micro-kernel (loading and storing its C tile) small; one ξ's panels (Kp + Cp) × tiles stay in L2.
    long rows_per_block = (MK_WINOGRAD_GRADIENT_TILES + g.TX - 1) / g.TX;
    if (rows_per_block > tile_rows) rows_per_block = tile_rows;
    const long max_nt = rows_per_block * g.TX;
    // Scratch: packed V (16 × Cp × nt: NR-channel panels, depth = tiles), packed dM (16 × Kp × nt: MR-row panels),
    // dU (16 × Kp × Cp, row-major), the input rows, the tile-offset table. Zeroed once: the channel lanes past C and
    // rows past K are never written and must add nothing.
    const size_t floats = (size_t)(16 * (Cp * max_nt + MK_WINOGRAD_SKEW) + 16 * (Kp * max_nt + MK_WINOGRAD_SKEW) +
                                   16 * Kp * Cp + 8 * g.Wp);
    float *Vp = NULL;
    if (posix_memalign((void **)&Vp, 64, floats * sizeof(float) + (size_t)g.TX * sizeof(long)) != 0) return -1;
    memset(Vp, 0, floats * sizeof(float));
    float *Mp = Vp + 16 * (Cp * max_nt + MK_WINOGRAD_SKEW);
    float *dU = Mp + 16 * (Kp * max_nt + MK_WINOGRAD_SKEW);
    float *rows = dU + 16 * Kp * Cp;
    long *off = (long *)(rows + 8 * g.Wp);
    mk_wg_input_fn input = mk_wg_input_portable;
#if defined(__x86_64__)
    if (strcmp(kern->name, "portable") != 0) input = mk_wg_input_avx2;
#endif
    for (long first = 0; first < tile_rows; first += rows_per_block) {
        const long count = tile_rows - first < rows_per_block ? tile_rows - first : rows_per_block;
        const long nt = count * g.TX;
        const long vxs = Cp * nt + MK_WINOGRAD_SKEW, mxs = Kp * nt + MK_WINOGRAD_SKEW;
        for (long r = 0; r < count; r++) {
            long s = (first + r) / g.TY, ty = (first + r) % g.TY;
            // Tile t = r·TX + tx sits at depth t of every panel: V[ξ][c] at panel c / NR, lane c % NR.
            for (long tx = 0; tx < g.TX; tx++) off[tx] = (r * g.TX + tx) * NR;
            const float *image = x + s * x_stride;
            for (long c = 0; c < C; c++) {
                input(&g, image + c * H * W, ty, rows, Vp + c / NR * nt * NR + c % NR, vxs, off);
            }
            const float *gradient = dy + s * dy_stride;
            for (long k = 0; k < K; k++) {
                mk_wg_gradient_row(&g, gradient + k * g.OH * g.OW, ty,
                                   Mp + k / MR * nt * MR + r * g.TX * MR + k % MR, mxs, MR);
            }
        }
        const float beta = first == 0 ? 0.0f : 1.0f;
        for (int xi = 0; xi < 16; xi++) {
            const float *a_xi = Mp + xi * mxs, *b_xi = Vp + xi * vxs;
            float *u_xi = dU + xi * Kp * Cp;
            for (long j = 0; j < Cp; j += NR) {
                for (long i = 0; i < Kp; i += MR) kern->ukr(nt, a_xi + i * nt, b_xi + j * nt, u_xi + i * Cp + j, Cp,
                                                             1.0f, beta);
            }
        }
    }
    // dg = Gᵀ dU G: Gᵀ = [[1, ½, ½, 0], [0, ½, −½, 0], [0, ½, ½, 1]].
    const long xs = Kp * Cp;
    for (long k = 0; k < K; k++) {
        for (long c = 0; c < C; c++) {
            const float *u = dU + k * Cp + c;
            float t[3][4];
            for (int j = 0; j < 4; j++) {
                float u0 = u[(0 + j) * xs], u1 = u[(4 + j) * xs], u2 = u[(8 + j) * xs], u3 = u[(12 + j) * xs];
                t[0][j] = u0 + 0.5f * (u1 + u2);
                t[1][j] = 0.5f * (u1 - u2);
                t[2][j] = 0.5f * (u1 + u2) + u3;
            }
            float *d = dW + (k * C + c) * 9;
            for (int i = 0; i < 3; i++) {
                d[3 * i + 0] = t[i][0] + 0.5f * (t[i][1] + t[i][2]);
                d[3 * i + 1] = 0.5f * (t[i][1] - t[i][2]);
                d[3 * i + 2] = 0.5f * (t[i][1] + t[i][2]) + t[i][3];
            }
        }
    }
    free(Vp);
    return 1;
}
