#include "SparseInput.h"

#include "../parallel/ThreadPool.h"
#include "Layer.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>

#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__BMI2__)
#include <immintrin.h>
#define AELAB_SPARSE_KERNELS 1
#else
#define AELAB_SPARSE_KERNELS 0
#endif

namespace ael {

namespace {
std::atomic<bool> g_on{[] {
    const char *e = std::getenv("AELAB_SPARSE");
    return !(e && std::strcmp(e, "0") == 0);
}()};
std::atomic<uint64_t> g_work{0};
/// Samples read to estimate X's density before indexing it.
constexpr long kProbeColumns = 32;
}  // namespace

void setSparseInputs(bool on) { g_on = on; }
bool sparseInputs() { return g_on; }
bool sparseKernelsBuilt() { return AELAB_SPARSE_KERNELS; }
uint64_t sparseMultiplyAdds() { return g_work; }

SparseSlot::SparseSlot() = default;
SparseSlot::SparseSlot(const SparseSlot &) {}
SparseSlot &SparseSlot::operator=(const SparseSlot &)
{
    p.reset();
    return *this;
}
SparseSlot::SparseSlot(SparseSlot &&) noexcept = default;
SparseSlot &SparseSlot::operator=(SparseSlot &&) noexcept = default;
SparseSlot::~SparseSlot() = default;

#if AELAB_SPARSE_KERNELS
namespace {

constexpr __mmask16 kAll = 0xffff;
__mmask16 tailMask(long n) { return n >= 16 ? kAll : __mmask16((1u << n) - 1); }

/// Z(r0 : r0 + 16R, j0 + q) = b + Σ_{i ∈ rows} W(r0 : …, i) X(i, j0 + q) for q < G (last: the mask of the
/// block's last vector).
template <int G, int R, bool Tail>
void forwardBlock(const float *W, long ldw, const float *X, long ldx, long j0, const int *rows, int n, const float *b, float *Z,
                  long ldz, long r0, __mmask16 last)
{
    __m512 acc[G][R];
    for (int k = 0; k < R; ++k) {
        const __m512 bk = _mm512_maskz_loadu_ps(Tail && k == R - 1 ? last : kAll, b + r0 + 16 * k);
        for (int q = 0; q < G; ++q) acc[q][k] = bk;
    }
    const float *x = X + j0 * ldx;
    for (int p = 0; p < n; ++p) {
        const long i = rows[p];
        const float *w = W + i * ldw + r0;
        __m512 wv[R];
        for (int k = 0; k < R; ++k) wv[k] = Tail && k == R - 1 ? _mm512_maskz_loadu_ps(last, w + 16 * k) : _mm512_loadu_ps(w + 16 * k);
        for (int q = 0; q < G; ++q) {
            const __m512 xv = _mm512_set1_ps(x[q * ldx + i]);
            for (int k = 0; k < R; ++k) acc[q][k] = _mm512_fmadd_ps(wv[k], xv, acc[q][k]);
        }
    }
    for (int q = 0; q < G; ++q)
        for (int k = 0; k < R; ++k) _mm512_mask_storeu_ps(Z + (j0 + q) * ldz + r0 + 16 * k, Tail && k == R - 1 ? last : kAll, acc[q][k]);
}

/// dW(r0 : r0 + 16R, i0 + q) (+)= Σ_j dZ(r0 : …, j) X(i0 + q, j) over the samples j whose bits are set in
/// `bits` (words of 64 samples), in the samples' order; q < G.
template <int G, int R, bool Tail>
void gradientBlock(const float *dZ, long lddz, const float *X, long ldx, long i0, const uint64_t *bits, long words, float *dW,
                   long lddw, long r0, __mmask16 last, bool overwrite)
{
    __m512 acc[G][R];
    for (int q = 0; q < G; ++q)
        for (int k = 0; k < R; ++k) acc[q][k] = _mm512_setzero_ps();
    for (long w = 0; w < words; ++w)
        for (uint64_t b = bits[w]; b; b &= b - 1) {
            const long j = w * 64 + __builtin_ctzll(b);
            const float *d = dZ + j * lddz + r0;
            __m512 dv[R];
            for (int k = 0; k < R; ++k) dv[k] = Tail && k == R - 1 ? _mm512_maskz_loadu_ps(last, d + 16 * k) : _mm512_loadu_ps(d + 16 * k);
            const float *x = X + j * ldx + i0;
            for (int q = 0; q < G; ++q) {
                const __m512 xv = _mm512_set1_ps(x[q]);
                for (int k = 0; k < R; ++k) acc[q][k] = _mm512_fmadd_ps(dv[k], xv, acc[q][k]);
            }
        }
    for (int q = 0; q < G; ++q)
        for (int k = 0; k < R; ++k) {
            float *w = dW + (i0 + q) * lddw + r0 + 16 * k;
            const __mmask16 m = Tail && k == R - 1 ? last : kAll;
            _mm512_mask_storeu_ps(w, m, overwrite ? acc[q][k] : _mm512_add_ps(_mm512_maskz_loadu_ps(m, w), acc[q][k]));
        }
}

/// Where share t of `shares` equal shares of the work starts: the first item whose cumulative work
/// (`cumulative`: 0, then the running sums, one more entry than items) reaches t / shares of the total.
long shareStart(const std::vector<long> &cumulative, long t, long shares)
{
    if (t <= 0) return 0;
    if (t >= shares) return long(cumulative.size()) - 1;
    const long target = cumulative.back() * t / shares;
    return long(std::lower_bound(cumulative.begin(), cumulative.end(), target) - cumulative.begin());
}

template <int R, bool Tail> struct Tier {
    static constexpr int rows = R;
    static constexpr bool tail = Tail;
};
/// Runs block(r0, Tier, mask) over the rows [0, out): 128 rows at a time, then 64, then 16, then the rest
/// (its last vector masked).
template <class F> void overRows(long out, F &&block)
{
    long r0 = 0;
    for (; r0 + 128 <= out; r0 += 128) block(r0, Tier<8, false>(), kAll);
    for (; r0 + 64 <= out; r0 += 64) block(r0, Tier<4, false>(), kAll);
    for (; r0 + 16 <= out; r0 += 16) block(r0, Tier<1, false>(), kAll);
    if (r0 < out) block(r0, Tier<1, true>(), tailMask(out - r0));
}

}  // namespace
#endif

void SparseInput::indexChunk(const Mat<float> &X, long c0, long c1)
{
#if AELAB_SPARSE_KERNELS
    const long in = in_, rowStride = in_ + 16;
    const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512 zero = _mm512_setzero_ps();
    // 64 samples at a time: their masks of nonzero pixels, 16 pixels at a time, give the sample pairs'
    // row lists (appended in order of i) and, transposed, the pixel pairs' words of 64 sample bits.
    for (long j0 = c0; j0 < c1; j0 += 64) {
        const int ns = int(std::min<long>(64, c1 - j0)), pairs = (ns + 1) / 2;
        int n[32] = {};
        alignas(64) uint8_t pairBits[64] = {};
        uint16_t masks[64];
        for (long i = 0; i < in; i += 16) {
            const __mmask16 lm = tailMask(in - i);
            for (int q = 0; q < ns; ++q)
                masks[q] = _mm512_mask_cmp_ps_mask(lm, _mm512_maskz_loadu_ps(lm, X.data() + (j0 + q) * in + i), zero, _CMP_NEQ_UQ);
            const __m512i rows = _mm512_add_epi32(_mm512_set1_epi32(int(i)), lane);
            for (int p = 0; p < pairs; ++p) {
                const unsigned m = masks[2 * p] | (2 * p + 1 < ns ? masks[2 * p + 1] : 0u);
                // compress in a register, then a plain store (16 ints, the slack of rowStride): the memory
                // form of vpcompressd is slow on Intel and microcoded on AMD Zen 4
                _mm512_storeu_si512(pairRows_.data() + size_t(j0 / 2 + p) * size_t(rowStride) + n[p], _mm512_maskz_compress_epi32(__mmask16(m), rows));
                n[p] += __builtin_popcount(m);
            }
            // bit b of pairBits[q]: sample j0 + q has a nonzero in pixel pair i/2 + b (i is even)
            for (int q = 0; q < ns; ++q) pairBits[q] = uint8_t(_pext_u32(masks[q] | (masks[q] >> 1), 0x5555u));
            const __m512i v = _mm512_load_si512(pairBits);
            for (long b = 0; b < 8 && i / 2 + b < groups_; ++b)
                bits_[size_t(i / 2 + b) * size_t(words_) + size_t(j0 / 64)] = _mm512_test_epi8_mask(v, _mm512_set1_epi8(char(1 << b)));
        }
        for (int p = 0; p < pairs; ++p) pairCount_[size_t(j0 / 2 + p)] = n[p];
    }
#else
    (void)X, (void)c0, (void)c1;
#endif
}

bool SparseInput::index(const Mat<float> &X, long outputs)
{
    active_ = false;
    source_ = nullptr;
    if (!AELAB_SPARSE_KERNELS || !sparseInputs() || X.size() == 0 || outputs < kMinSparseRows ||
        outputs * X.cols() < kMinSparseOutputs)
        return false;
    const long in = X.rows(), B = X.cols();
    // A look at a few samples first: dense data (Fashion-MNIST, noise) is not indexed at all.
    const long probe = std::min(B, kProbeColumns);
    long nonzero = 0;
    for (long k = 0; k < probe; ++k) nonzero += (X.col(k * B / probe).array() != 0.f).count();
    if (double(nonzero) > kMaxPairDensity * double(probe * in)) return false;

    in_ = in;
    B_ = B;
    groups_ = (in + 1) / 2;
    pairCount_.resize(size_t((B + 1) / 2));
    pairRows_.resize(size_t((B + 1) / 2) * size_t(in + 16));
    words_ = (B + 63) / 64;
    bits_.resize(size_t(groups_) * size_t(words_));
    // Chunks start on multiples of 64 samples: a word of bits and a pair of samples are one chunk's.
    parallelRanges(B, 64, double(in) * double(B) * 8, [&](long c0, long c1) { indexChunk(X, c0, c1); });
    long visited = 0;
    for (int n : pairCount_) visited += n;
    pairDensity_ = double(visited) / (double(pairCount_.size()) * double(in));
    if (pairDensity_ > kMaxPairDensity) return false;
    source_ = &X;
    active_ = true;
    return true;
}

void SparseInput::affine(const Mat<float> &W, const Mat<float> &X, const Mat<float> &b, Mat<float> &Z, const BlockFn &epilogue) const
{
#if AELAB_SPARSE_KERNELS
    const long out = W.rows(), in = in_, B = B_;
    Z.resize(out, B);
    const double visited = pairDensity_ * double(in) * double(out) * double(B);
    g_work += uint64_t(out) * uint64_t(in) * uint64_t(B);
    // Split by sample pairs with equal numbers of rows to visit (a 1 has far fewer nonzero pixels than an 8).
    const long pairs = long(pairCount_.size());
    std::vector<long> work(size_t(pairs + 1), 0);
    for (long p = 0; p < pairs; ++p) work[size_t(p + 1)] = work[size_t(p)] + pairCount_[size_t(p)] + 1;
    const int threads = std::max(1, ThreadPool::instance().threads());
    parallelRanges(threads, 1, visited, [&](long t0, long t1) {
        const long c0 = std::min(B, 2 * shareStart(work, t0, threads)), c1 = std::min(B, 2 * shareStart(work, t1, threads));
        if (c1 <= c0) return;
        overRows(out, [&](long r0, auto tier, __mmask16 last) {
            constexpr int R = decltype(tier)::rows;
            constexpr bool T = decltype(tier)::tail;
            for (long j = c0; j < c1; j += 2) {
                const int *rows = pairRows_.data() + size_t(j / 2) * size_t(in + 16);
                const int n = pairCount_[size_t(j / 2)];
                if (j + 1 < c1) forwardBlock<2, R, T>(W.data(), out, X.data(), in, j, rows, n, b.data(), Z.data(), out, r0, last);
                else forwardBlock<1, R, T>(W.data(), out, X.data(), in, j, rows, n, b.data(), Z.data(), out, r0, last);
            }
        });
        epilogue(0, out, c0, c1);
    });
#else
    (void)W, (void)X, (void)b, (void)Z, (void)epilogue;
#endif
}

void SparseInput::gradients(const BlockFn &prologue, const Mat<float> &dZ, const Mat<float> &X, Mat<float> &dW, Mat<float> &db,
                            Mat<float> &partials, bool overwriteW, bool overwriteB) const
{
#if AELAB_SPARSE_KERNELS
    const long out = dZ.rows(), in = in_, B = B_;
    // dZ by samples, each thread its own (those it wrote forward), with its part of db = dZ 1; the parts
    // added in chunk order.
    partials.resize(out, ThreadPool::instance().threads());
    bool ran[64] = {};
    parallelChunks(B, 16, double(out) * double(B) * double(in) * pairDensity_, [&](int c, long c0, long c1) {
        ran[c] = true;
        prologue(0, out, c0, c1);
        partials.col(c) = dZ.middleCols(c0, c1 - c0).rowwise().sum();
    });
    for (int c = 0; c < 64 && ran[c]; ++c) {
        if (c == 0 && overwriteB) db.col(0) = partials.col(0);
        else db.col(0) += partials.col(c);
    }
    // dW by pixel pairs: each column of dW is one thread's, summed in the samples' order (the same bits
    // on any number of threads). The pairs are split so that the threads get equal numbers of terms.
    std::vector<long> work(size_t(groups_ + 1), 0);
    for (long g = 0; g < groups_; ++g) {
        long n = 0;
        for (long w = 0; w < words_; ++w) n += __builtin_popcountll(bits_[size_t(g) * size_t(words_) + size_t(w)]);
        work[size_t(g + 1)] = work[size_t(g)] + n + 1;
    }
    const int threads = std::max(1, ThreadPool::instance().threads());
    g_work += uint64_t(out) * uint64_t(in) * uint64_t(B);
    parallelRanges(threads, 1, double(out) * double(work.back()) * 2, [&](long t0, long t1) {
        const long g0 = shareStart(work, t0, threads), g1 = shareStart(work, t1, threads);
        overRows(out, [&](long r0, auto tier, __mmask16 last) {
            constexpr int R = decltype(tier)::rows;
            constexpr bool T = decltype(tier)::tail;
            for (long g = g0; g < g1; ++g) {
                const uint64_t *bits = bits_.data() + size_t(g) * size_t(words_);
                if (2 * g + 1 < in)
                    gradientBlock<2, R, T>(dZ.data(), out, X.data(), in, 2 * g, bits, words_, dW.data(), out, r0, last, overwriteW);
                else
                    gradientBlock<1, R, T>(dZ.data(), out, X.data(), in, 2 * g, bits, words_, dW.data(), out, r0, last, overwriteW);
            }
        });
    });
#else
    (void)prologue, (void)dZ, (void)X, (void)dW, (void)db, (void)partials, (void)overwriteW, (void)overwriteB;
#endif
}

}  // namespace ael
