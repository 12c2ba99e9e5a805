#include "SparseInput.h"

#include "../parallel/ThreadPool.h"
#include "Layer.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#define AELAB_SPARSE_AVX2 1
#else
#define AELAB_SPARSE_AVX2 0
#endif
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__BMI2__)
#define AELAB_SPARSE_AVX512 1
#else
#define AELAB_SPARSE_AVX512 0
#endif

namespace ael {

namespace {
std::atomic<bool> g_on{[] {
    const char *e = std::getenv("AELAB_SPARSE");
    return !(e && std::strcmp(e, "0") == 0);
}()};
std::atomic<uint64_t> g_work{0};
constexpr SparseKernels kBest = AELAB_SPARSE_AVX512 ? SparseKernels::Avx512 : AELAB_SPARSE_AVX2 ? SparseKernels::Avx2 : SparseKernels::None;
std::atomic<SparseKernels> g_kernels{kBest};
/// Samples read to estimate X's density before indexing it.
constexpr long kProbeColumns = 32;
}  // namespace

void setSparseInputs(bool on) { g_on = on; }
bool sparseInputs() { return g_on; }
bool sparseKernelsBuilt() { return kBest != SparseKernels::None; }
bool sparseKernelsBuilt(SparseKernels k)
{
    return k == SparseKernels::Avx512 ? AELAB_SPARSE_AVX512 : k == SparseKernels::Avx2 ? AELAB_SPARSE_AVX2 : true;
}
bool setSparseKernels(SparseKernels k)
{
    if (!sparseKernelsBuilt(k)) return false;
    g_kernels = k;
    return true;
}
SparseKernels sparseKernels() { return g_kernels; }
const char *sparseKernelsName(SparseKernels k)
{
    return k == SparseKernels::Avx512 ? "avx512" : k == SparseKernels::Avx2 ? "avx2" : "none";
}
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

namespace {

/// Where share t of `shares` equal shares of the work starts: the first item whose cumulative work
/// (`cumulative`: 0, then the running sums, one more entry than items) reaches t / shares of the total.
long shareStart(const std::vector<long> &cumulative, long t, long shares)
{
    if (t <= 0) return 0;
    if (t >= shares) return long(cumulative.size()) - 1;
    const long target = cumulative.back() * t / shares;
    return long(std::lower_bound(cumulative.begin(), cumulative.end(), target) - cumulative.begin());
}

#if AELAB_SPARSE_AVX2 || AELAB_SPARSE_AVX512
// The two kernels below are written once over a vector ISA: W floats a register, a mask for the last
// (partial) register of a block, and `Big` registers a row block (the accumulators of two columns and
// the loaded column must fit the register file: 2·8 + 8 of 32 on AVX-512, 2·4 + 4 of 16 on AVX2).
#if AELAB_SPARSE_AVX512
struct Avx512 {
    using V = __m512;
    using M = __mmask16;
    static constexpr int W = 16, Big = 8;
    static M all() { return M(0xffff); }
    static M tail(long n) { return n >= 16 ? all() : M((1u << n) - 1); }
    static V load(const float *p) { return _mm512_loadu_ps(p); }
    static V load(const float *p, M m) { return _mm512_maskz_loadu_ps(m, p); }
    static void store(float *p, V v) { _mm512_storeu_ps(p, v); }
    static void store(float *p, V v, M m) { _mm512_mask_storeu_ps(p, m, v); }
    static V set1(float x) { return _mm512_set1_ps(x); }
    static V zero() { return _mm512_setzero_ps(); }
    static V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
    static V add(V a, V b) { return _mm512_add_ps(a, b); }
};
#endif
#if AELAB_SPARSE_AVX2
struct Avx2 {
    using V = __m256;
    using M = __m256i;
    static constexpr int W = 8, Big = 4;
    static M all() { return _mm256_set1_epi32(-1); }
    static M tail(long n) { return _mm256_cmpgt_epi32(_mm256_set1_epi32(int(std::min<long>(n, 8))), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)); }
    static V load(const float *p) { return _mm256_loadu_ps(p); }
    static V load(const float *p, M m) { return _mm256_maskload_ps(p, m); }
    static void store(float *p, V v) { _mm256_storeu_ps(p, v); }
    static void store(float *p, V v, M m) { _mm256_maskstore_ps(p, m, v); }
    static V set1(float x) { return _mm256_set1_ps(x); }
    static V zero() { return _mm256_setzero_ps(); }
    static V fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
    static V add(V a, V b) { return _mm256_add_ps(a, b); }
};
#endif

/// Register k of a block of R, masked when it is the block's last and the block is a tail.
template <class I, int R, bool Tail> typename I::V loadK(const float *p, int k, typename I::M last)
{
    return Tail && k == R - 1 ? I::load(p, last) : I::load(p);
}
template <class I, int R, bool Tail> void storeK(float *p, typename I::V v, int k, typename I::M last)
{
    if (Tail && k == R - 1) I::store(p, v, last);
    else I::store(p, v);
}

/// Z(r0 : r0 + W·R, j0 + q) = b + Σ_{i ∈ rows} W(r0 : …, i) X(i, j0 + q) for q < G.
template <class I, int G, int R, bool Tail>
void forwardBlock(const float *W, long ldw, const float *X, long ldx, long j0, const int *rows, int n, const float *b, float *Z,
                  long ldz, long r0, typename I::M last)
{
    typename I::V acc[G][R];
    for (int k = 0; k < R; ++k) {
        const typename I::V bk = loadK<I, R, Tail>(b + r0 + I::W * k, k, last);
        for (int q = 0; q < G; ++q) acc[q][k] = bk;
    }
    const float *x = X + j0 * ldx;
    for (int p = 0; p < n; ++p) {
        const long i = rows[p];
        const float *w = W + i * ldw + r0;
        typename I::V wv[R];
        for (int k = 0; k < R; ++k) wv[k] = loadK<I, R, Tail>(w + I::W * k, k, last);
        for (int q = 0; q < G; ++q) {
            const typename I::V xv = I::set1(x[q * ldx + i]);
            for (int k = 0; k < R; ++k) acc[q][k] = I::fma(wv[k], xv, acc[q][k]);
        }
    }
    for (int q = 0; q < G; ++q)
        for (int k = 0; k < R; ++k) storeK<I, R, Tail>(Z + (j0 + q) * ldz + r0 + I::W * k, acc[q][k], k, last);
}

/// dW(r0 : r0 + W·R, i0 + q) (+)= Σ_j dZ(r0 : …, j) X(i0 + q, j) over the samples j whose bits are set in
/// `bits` (words of 64 samples), in the samples' order; q < G.
template <class I, int G, int R, bool Tail>
void gradientBlock(const float *dZ, long lddz, const float *X, long ldx, long i0, const uint64_t *bits, long words, float *dW,
                   long lddw, long r0, typename I::M last, bool overwrite)
{
    typename I::V acc[G][R];
    for (int q = 0; q < G; ++q)
        for (int k = 0; k < R; ++k) acc[q][k] = I::zero();
    for (long w = 0; w < words; ++w)
        for (uint64_t bw = bits[w]; bw; bw &= bw - 1) {
            const long j = w * 64 + __builtin_ctzll(bw);
            const float *d = dZ + j * lddz + r0;
            typename I::V dv[R];
            for (int k = 0; k < R; ++k) dv[k] = loadK<I, R, Tail>(d + I::W * k, k, last);
            const float *x = X + j * ldx + i0;
            for (int q = 0; q < G; ++q) {
                const typename I::V xv = I::set1(x[q]);
                for (int k = 0; k < R; ++k) acc[q][k] = I::fma(dv[k], xv, acc[q][k]);
            }
        }
    for (int q = 0; q < G; ++q)
        for (int k = 0; k < R; ++k) {
            float *p = dW + (i0 + q) * lddw + r0 + I::W * k;
            storeK<I, R, Tail>(p, overwrite ? acc[q][k] : I::add(loadK<I, R, Tail>(p, k, last), acc[q][k]), k, last);
        }
}

template <int R, bool Tail> struct Tier {
    static constexpr int rows = R;
    static constexpr bool tail = Tail;
};
/// Runs block(r0, Tier, mask) over the rows [0, out): Big registers at a time, then Big / 2, then one,
/// then the rest (the last register masked).
template <class I, class F> void overRows(long out, F &&block)
{
    constexpr long big = long(I::W) * I::Big, half = big / 2;
    long r0 = 0;
    for (; r0 + big <= out; r0 += big) block(r0, Tier<I::Big, false>(), I::all());
    for (; r0 + half <= out; r0 += half) block(r0, Tier<I::Big / 2, false>(), I::all());
    for (; r0 + I::W <= out; r0 += I::W) block(r0, Tier<1, false>(), I::all());
    if (r0 < out) block(r0, Tier<1, true>(), I::tail(out - r0));
}

/// Z = W X + b 1ᵀ for the samples [c0, c1) (c0 even), over the index's pair rows.
template <class I>
void forwardRange(const Mat<float> &W, const Mat<float> &X, const Mat<float> &b, Mat<float> &Z, const std::vector<int> &pairRows,
                  const std::vector<int> &pairCount, long rowStride, long c0, long c1)
{
    const long out = W.rows(), in = X.rows();
    overRows<I>(out, [&](long r0, auto tier, typename I::M last) {
        constexpr int R = decltype(tier)::rows;
        constexpr bool T = decltype(tier)::tail;
        for (long j = c0; j < c1; j += 2) {
            const int *rows = pairRows.data() + size_t(j / 2) * size_t(rowStride);
            const int n = pairCount[size_t(j / 2)];
            if (j + 1 < c1) forwardBlock<I, 2, R, T>(W.data(), out, X.data(), in, j, rows, n, b.data(), Z.data(), out, r0, last);
            else forwardBlock<I, 1, R, T>(W.data(), out, X.data(), in, j, rows, n, b.data(), Z.data(), out, r0, last);
        }
    });
}

/// dW (+)= dZ Xᵀ for the pixel pairs [g0, g1), over the index's sample bits.
template <class I>
void gradientRange(const Mat<float> &dZ, const Mat<float> &X, Mat<float> &dW, const std::vector<uint64_t> &bits, long words, long g0,
                   long g1, bool overwrite)
{
    const long out = dZ.rows(), in = X.rows();
    overRows<I>(out, [&](long r0, auto tier, typename I::M last) {
        constexpr int R = decltype(tier)::rows;
        constexpr bool T = decltype(tier)::tail;
        for (long g = g0; g < g1; ++g) {
            const uint64_t *gb = bits.data() + size_t(g) * size_t(words);
            if (2 * g + 1 < in)
                gradientBlock<I, 2, R, T>(dZ.data(), out, X.data(), in, 2 * g, gb, words, dW.data(), out, r0, last, overwrite);
            else
                gradientBlock<I, 1, R, T>(dZ.data(), out, X.data(), in, 2 * g, gb, words, dW.data(), out, r0, last, overwrite);
        }
    });
}
#endif

}  // namespace

void SparseInput::indexChunk(const Mat<float> &X, long c0, long c1)
{
    const long in = in_, rowStride = in_ + 16;
    // 64 samples at a time: their masks of nonzero pixels, 16 pixels at a time, give the sample pairs'
    // row lists (appended in order of i) and, transposed, the pixel pairs' words of 64 sample bits.
    for (long j0 = c0; j0 < c1; j0 += 64) {
        const int ns = int(std::min<long>(64, c1 - j0)), pairs = (ns + 1) / 2;
        int n[32] = {};
        alignas(64) uint8_t pairBits[64] = {};
        uint16_t masks[64];
        for (long i = 0; i < in; i += 16) {
#if AELAB_SPARSE_AVX512
            if (kernels_ == SparseKernels::Avx512) {
                const __mmask16 lm = Avx512::tail(in - i);
                const __m512 zero = _mm512_setzero_ps();
                for (int q = 0; q < ns; ++q)
                    masks[q] = _mm512_mask_cmp_ps_mask(lm, _mm512_maskz_loadu_ps(lm, X.data() + (j0 + q) * in + i), zero, _CMP_NEQ_UQ);
                const __m512i rows = _mm512_add_epi32(_mm512_set1_epi32(int(i)), _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
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
                continue;
            }
#endif
#if AELAB_SPARSE_AVX2
            // Two registers of 8 pixels; the rows of a pair appended from its mask's bits; the pixel pairs'
            // bits set sample by sample.
            const __m256 zero = _mm256_setzero_ps();
            for (int q = 0; q < ns; ++q) {
                const float *x = X.data() + (j0 + q) * in + i;
                unsigned m = 0;
                for (int h = 0; h < 2 && i + 8 * h < in; ++h) {
                    const __m256 v = _mm256_maskload_ps(x + 8 * h, Avx2::tail(in - i - 8 * h));
                    m |= unsigned(_mm256_movemask_ps(_mm256_cmp_ps(v, zero, _CMP_NEQ_UQ))) << (8 * h);
                }
                masks[q] = uint16_t(m);
            }
            for (int p = 0; p < pairs; ++p) {
                unsigned m = masks[2 * p] | (2 * p + 1 < ns ? masks[2 * p + 1] : 0u);
                int *rows = pairRows_.data() + size_t(j0 / 2 + p) * size_t(rowStride);
                for (; m; m &= m - 1) rows[n[p]++] = int(i) + __builtin_ctz(m);
            }
            uint64_t word[8] = {};
            for (int q = 0; q < ns; ++q)
                for (unsigned pm = (masks[q] | (masks[q] >> 1)) & 0x5555u; pm; pm &= pm - 1) word[__builtin_ctz(pm) / 2] |= uint64_t(1) << q;
            for (long b = 0; b < 8 && i / 2 + b < groups_; ++b) bits_[size_t(i / 2 + b) * size_t(words_) + size_t(j0 / 64)] = word[b];
#endif
        }
        for (int p = 0; p < pairs; ++p) pairCount_[size_t(j0 / 2 + p)] = n[p];
        (void)pairBits, (void)masks;
    }
    (void)X, (void)rowStride;  // a build without kernels never indexes
}

bool SparseInput::index(const Mat<float> &X, long outputs)
{
    active_ = false;
    source_ = nullptr;
    kernels_ = sparseKernels();
    if (kernels_ == SparseKernels::None || !sparseInputs() || X.size() == 0 || outputs < kMinSparseRows ||
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
#if AELAB_SPARSE_AVX512
        if (kernels_ == SparseKernels::Avx512) forwardRange<Avx512>(W, X, b, Z, pairRows_, pairCount_, in + 16, c0, c1);
#endif
#if AELAB_SPARSE_AVX2
        if (kernels_ == SparseKernels::Avx2) forwardRange<Avx2>(W, X, b, Z, pairRows_, pairCount_, in + 16, c0, c1);
#endif
        (void)X, (void)b;  // a build without kernels never gets here (index() holds nothing)
        epilogue(0, out, c0, c1);
    });
}

void SparseInput::gradients(const BlockFn &prologue, const Mat<float> &dZ, const Mat<float> &X, Mat<float> &dW, Mat<float> &db,
                            Mat<float> &partials, bool overwriteW, bool overwriteB) const
{
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
#if AELAB_SPARSE_AVX512
        if (kernels_ == SparseKernels::Avx512) gradientRange<Avx512>(dZ, X, dW, bits_, words_, g0, g1, overwriteW);
#endif
#if AELAB_SPARSE_AVX2
        if (kernels_ == SparseKernels::Avx2) gradientRange<Avx2>(dZ, X, dW, bits_, words_, g0, g1, overwriteW);
#endif
        (void)g0, (void)g1, (void)X, (void)dW, (void)overwriteW;
    });
}

}  // namespace ael
