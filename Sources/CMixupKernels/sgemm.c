// Reference GEMM: correct and portable. Replaced by the packed, register-tiled kernel (see issue 3).
#include "mixup_kernels.h"
#include <unistd.h>

static int mk_threads = 0;

void mk_set_num_threads(int threads) { mk_threads = threads < 1 ? 1 : threads; }

int mk_get_num_threads(void) {
    if (mk_threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        mk_threads = n < 1 ? 1 : (int)n;
    }
    return mk_threads;
}

const char *mk_kernel_name(void) { return "reference"; }

void mk_sgemm(int transA, int transB, long M, long N, long K, float alpha, const float *A, long lda,
              const float *B, long ldb, float beta, float *C, long ldc) {
    for (long i = 0; i < M; i++) {
        float *c = C + i * ldc;
        if (beta == 0.0f) {
            for (long j = 0; j < N; j++) c[j] = 0.0f;
        } else if (beta != 1.0f) {
            for (long j = 0; j < N; j++) c[j] *= beta;
        }
        for (long k = 0; k < K; k++) {
            float a = alpha * (transA ? A[k * lda + i] : A[i * lda + k]);
            if (!transB) {
                const float *b = B + k * ldb;
                for (long j = 0; j < N; j++) c[j] += a * b[j];
            } else {
                for (long j = 0; j < N; j++) c[j] += a * B[j * ldb + k];
            }
        }
    }
}
