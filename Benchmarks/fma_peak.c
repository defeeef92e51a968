// The FMA throughput one core of this machine delivers, in GFLOP/s: 12 independent chains of 256-bit FMAs, no memory
// traffic. The ceiling for any SGEMM / convolution micro-kernel here (AVX2/FMA; x86_64 only).
//
//   gcc -O2 Benchmarks/fma_peak.c -o /tmp/fma_peak && /tmp/fma_peak
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

__attribute__((target("avx2,fma"))) int main(void) {
    __m256 acc[12];
    for (int i = 0; i < 12; i++) acc[i] = _mm256_set1_ps(i * 0.001f);
    const __m256 b = _mm256_set1_ps(0.9999f), c = _mm256_set1_ps(0.0001f);
    const long n = 200000000;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long k = 0; k < n; k++) {
#pragma GCC unroll 12
        for (int i = 0; i < 12; i++) acc[i] = _mm256_fmadd_ps(acc[i], b, c);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    const double seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    float sink = 0;
    for (int i = 0; i < 12; i++) sink += _mm256_cvtss_f32(acc[i]);
    printf("%.1f GFLOP/s per core (256-bit FMA, 12 chains; checksum %g)\n", (double)n * 12 * 16 / seconds / 1e9, sink);
    return 0;
}
