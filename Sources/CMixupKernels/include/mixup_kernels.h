// CMixupKernels — the few hot loops of MixupKit written in C so that they can use AVX2/FMA (x86_64) or NEON (arm64)
// chosen at run time, without unsafeFlags. Everything is row-major float32.
#ifndef MIXUP_KERNELS_H
#define MIXUP_KERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Sets how many threads the kernels may use (clamped to at least 1). Default: the number of online CPUs.
void mk_set_num_threads(int threads);
/// The thread count the kernels use.
int mk_get_num_threads(void);

/// C[M×N] = alpha · op(A) · op(B) + beta · C, row-major.
/// op(A) is A (M×K, leading dimension lda) when transA == 0, else Aᵀ where A is stored K×M.
/// op(B) is B (K×N, leading dimension ldb) when transB == 0, else Bᵀ where B is stored N×K.
/// beta == 0 means C is written without being read (it may hold garbage or NaN).
/// Deterministic: the same inputs and thread count give bit-identical results.
void mk_sgemm(int transA, int transB, long M, long N, long K, float alpha, const float *A, long lda,
              const float *B, long ldb, float beta, float *C, long ldc);

/// Calls fn(ctx, c) for every c in 0..<nchunks on the kernels' thread pool (up to the configured thread count, the
/// caller included); returns when all chunks are done. Chunks may run in any order and on any thread. Inside a chunk,
/// mk_sgemm and nested mk_parallel_for run serially on the calling thread.
void mk_parallel_for(long nchunks, void (*fn)(void *ctx, long chunk), void *ctx);

/// Asks the C allocator to keep freed blocks for reuse instead of returning them to the kernel: blocks below
/// mmap_threshold bytes come from the heap (not from a fresh mmap each time), and the heap top is trimmed only above
/// trim_threshold free bytes. Returns 1 when applied (glibc), 0 where the allocator has no such settings.
int mk_retain_freed_memory(long mmap_threshold, long trim_threshold);

/// A short name of the micro-kernel in use ("avx512", "avx2-fma", "neon", "portable"), for benchmark reports.
/// Chosen once per process: the widest this CPU runs, or the one named by the environment variable
/// MIXUP_GEMM_KERNEL if this CPU can run it (for measurement, e.g. MIXUP_GEMM_KERNEL=avx2 on an AVX-512 CPU).
const char *mk_kernel_name(void);

/// 1 when this CPU can run the micro-kernel called `name` ("avx512", "avx2-fma" or "avx2", "neon", "portable").
int mk_kernel_available(const char *name);

/// mk_sgemm with the micro-kernel called `kernel` instead of the process's choice (for tests that cover every
/// kernel the CPU runs). Returns 0, computing nothing, when this CPU cannot run it; 1 otherwise.
int mk_sgemm_named(const char *kernel, int transA, int transB, long M, long N, long K, float alpha, const float *A,
                   long lda, const float *B, long ldb, float beta, float *C, long ldc);

/// The im2col matrix of one image, described instead of materialised (implicit GEMM). Row r = (c·kh + ky)·kw + kx,
/// column p = oy·out_width + ox; element (r, p) is image[c][oy·stride − pad_h + ky][ox·stride − pad_w + kx], zero
/// where that lies outside the image. The matrix is [channels·kh·kw × out_height·out_width].
typedef struct {
    const float *image;  // [channels, height, width], row-major
    long channels, height, width;
    long kernel_height, kernel_width, stride, pad_h, pad_w;
    long out_height, out_width;
} mk_conv_columns;

/// GEMM with an implicit im2col operand, over a batch of images; the columns are packed straight from each image,
/// never written out. For each sample s in order, with A_s = A + s·a_stride, cols_s the columns of
/// cols->image + s·image_stride and C_s = C + s·c_stride:
///   transposed == 0: C_s[M × oh·ow] = alpha · A_s · cols_s + beta · C_s, A_s is M × (channels·kh·kw) — a convolution's
///     forward pass with A the filter (also its input gradient, as a convolution of the output gradient);
///   transposed != 0: C_s[M × channels·kh·kw] = alpha · A_s · cols_sᵀ + beta · C_s, A_s is M × (oh·ow) — the filter
///     gradient with A the output gradient.
/// c_stride == 0 accumulates every sample into one C (beta applies to the first). a_stride == 0 (one filter for the
/// batch) packs A once. A is row-major with leading dimension lda, C with ldc; beta == 0 writes C without reading
/// it. `kernel` names the micro-kernel as in mk_sgemm_named, or NULL for the process's choice; returns 0, computing
/// nothing, when this CPU cannot run it. Deterministic like mk_sgemm (bit-identical for any thread count).
int mk_sgemm_conv(const char *kernel, int transposed, long batch, long M, float alpha, const float *A, long lda,
                  long a_stride, const mk_conv_columns *cols, long image_stride, float beta, float *C, long ldc,
                  long c_stride);

/// Whether convolutions use Winograd F(2×2, 3×3) (mk_winograd_f2x3_conv) for the forward pass and the input gradient
/// of a 3×3, stride-1 layer with these channel counts: by default when both are at least 16. The environment variable
/// MIXUP_WINOGRAD=0 turns Winograd off and MIXUP_WINOGRAD=1 on for every channel count, here and in
/// mk_winograd_f2x3_filter_gradient_applies (for measurement and tests).
int mk_winograd_f2x3_applies(long in_channels, long out_channels);

/// Whether the filter gradient of such a layer uses mk_winograd_f2x3_filter_gradient: by default when both channel
/// counts are at least 32 (its transforms cost more than the forward pass's); MIXUP_WINOGRAD as above.
int mk_winograd_f2x3_filter_gradient_applies(long in_channels, long out_channels);

/// Winograd F(2×2, 3×3) filter transform: U[ξ][k][c] = (G g_kc Gᵀ)[ξ] for the 16 positions ξ of a 4×4 tile, from
/// filter[K][C][3][3] (row-major). U holds 16·K·C floats; it is the `U` of mk_winograd_f2x3_conv.
void mk_winograd_f2x3_filter(long K, long C, const float *filter, float *U);

/// 3×3, stride-1 cross-correlation of `batch` images by Winograd F(2×2, 3×3): for each sample s,
/// y_s[K][OH][OW] = conv(x_s[C][H][W], filter) + beta · y_s with OH = H + 2·pad − 2, OW = W + 2·pad − 2, zero padding
/// `pad` on every side, x_s = x + s·x_stride, y_s = y + s·y_stride, U from mk_winograd_f2x3_filter. beta == 0 writes
/// y without reading it. Results equal the direct convolution up to float rounding and are bit-identical however a
/// batch is split into calls. Runs on the calling thread (its GEMMs may use the pool outside mk_parallel_for).
/// `kernel` names the GEMM micro-kernel as in mk_sgemm_named (NULL: the process's choice). Returns 1 when done, 0
/// (computing nothing) when this CPU cannot run `kernel`, −1 when scratch memory could not be allocated.
int mk_winograd_f2x3_conv(const char *kernel, long batch, long C, long K, long H, long W, long pad, const float *U,
                          const float *x, long x_stride, float beta, float *y, long y_stride);

/// The filter gradient of the convolution of mk_winograd_f2x3_conv, by the same transforms:
/// dW[K][C][3][3] = Σ over the `batch` samples of the correlation of x_s ([C][H][W], zero padding `pad`) with
/// dy_s ([K][OH][OW]), x_s = x + s·x_stride, dy_s = dy + s·dy_stride. dW is overwritten. Equal to the direct filter
/// gradient up to float rounding; deterministic for a given batch (its tiles are summed in a fixed order). Runs on the
/// calling thread. Returns 1 when done, 0 (computing nothing) when this CPU cannot run `kernel`, −1 when scratch memory
/// could not be allocated.
int mk_winograd_f2x3_filter_gradient(const char *kernel, long batch, long C, long K, long H, long W, long pad,
                                     const float *x, long x_stride, const float *dy, long dy_stride, float *dW);

#ifdef __cplusplus
}
#endif
#endif
