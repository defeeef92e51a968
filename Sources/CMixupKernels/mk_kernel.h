// Internal to CMixupKernels (not part of the public header): the micro-kernel table that sgemm.c selects at run time,
// shared with the other kernel files (winograd.c) that drive the micro-kernels on operands they pack themselves.
#ifndef MK_KERNEL_H
#define MK_KERNEL_H

// Micro-kernel: C[0:MR, 0:NR] (row stride ldc, unit column stride) = alpha·Σ_k a[k·MR + i]·b[k·NR + j] + beta·C,
// beta == 0 ⇒ C is not read. a and b are packed micro-panels.
typedef void (*mk_ukr_fn)(long kc, const float *a, const float *b, float *c, long ldc, float alpha, float beta);
// Packs rows [i0, i0+mr) × depth [p0, p0+kc) of op(A) into MR-row micro-panels (zero-padded to MR).
// "Packing B" is the same operation on op(B)ᵀ, so one packer serves both (see mk_sgemm_block).
typedef void (*mk_pack_fn)(int trans, const float *X, long ldx, long i0, long p0, long m, long kc, float *dst);

// The micro-kernel of an unpacked convolution operand (mk_sgemm_conv, stride 1): the 16 B values of depth step k are
// lo[off[k] .. off[k]+8) and hi[off[k] .. off[k]+8) — two 8-position stretches of the padded image — instead of a
// packed panel. Same arithmetic as the packed kernel, so the results are bit-identical.
typedef void (*mk_ukr_direct_fn)(long kc, const float *a, const float *lo, const float *hi, const long *off, float *c,
                                 long ldc, float alpha, float beta);

// The micro-kernel of a convolution's filter gradient with the columns as the unpacked A operand: the MR A values of
// depth step k (position p) are rows[i][off[k]], i < MR — MR rows of the column matrix, each a shifted view of the
// padded image — broadcast straight from the image; B is a packed panel as usual.
typedef void (*mk_ukr_direct_a_fn)(long kc, const float *const *rows, const long *off, const float *b, float *c,
                                   long ldc, float alpha, float beta);

typedef struct {
    int mr, nr;
    mk_ukr_fn ukr;
    mk_pack_fn pack_a;  // panels of mr rows
    mk_pack_fn pack_b;  // panels of nr rows of op(B)ᵀ
    const char *name;
    long kc, mc, nc;              // blocking parameters (maximum block sizes)
    mk_ukr_direct_fn ukr_direct;  // NULL: convolutions pack their columns (requires nr == 16)
    mk_ukr_direct_a_fn ukr_direct_a;  // NULL: filter gradients pack their columns (requires mr == 6)
} mk_kernel;

/// The kernel called `name` (as mk_sgemm_named) if this CPU can run it, else NULL; NULL `name`: the process's choice.
const mk_kernel *mk_kernel_for(const char *name);

#endif
