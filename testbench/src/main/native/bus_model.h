/*
 * Native bus models: C++ objects attached to a clock of a loaded design, run inside the shim's
 * batched loop, and trading whole transactions with Java through put/take byte batches.
 * See docs/harness.md, "Adding a native model".
 */
#ifndef JNIC_BUS_MODEL_H
#define JNIC_BUS_MODEL_H

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace jnic {

// One port of the design: the address of Verilator's storage and the width in bits.
class PortRef {
  public:
    PortRef() = default;
    PortRef(void* storage, int width) : p_(storage), width_(width) {}

    bool valid() const { return p_ != nullptr; }
    int width() const { return width_; }
    int words() const { return (width_ + 31) / 32; }

    // Ports up to 64 bits wide.
    uint64_t get() const {
        if (width_ <= 8) return *static_cast<const uint8_t*>(p_);
        if (width_ <= 16) return *static_cast<const uint16_t*>(p_);
        if (width_ <= 32) return *static_cast<const uint32_t*>(p_);
        return *static_cast<const uint64_t*>(p_);
    }
    // Verilator relies on the bits above the width being zero: they are masked here.
    void set(uint64_t v) const {
        if (width_ < 64) v &= (uint64_t{1} << width_) - 1;
        if (width_ <= 8) *static_cast<uint8_t*>(p_) = static_cast<uint8_t>(v);
        else if (width_ <= 16) *static_cast<uint16_t*>(p_) = static_cast<uint16_t>(v);
        else if (width_ <= 32) *static_cast<uint32_t*>(p_) = static_cast<uint32_t>(v);
        else *static_cast<uint64_t*>(p_) = v;
    }
    // Ports of any width, as little-endian 32-bit words.
    void getWords(uint32_t* out) const {
        if (width_ > 64) {
            std::memcpy(out, p_, words() * 4);
            return;
        }
        uint64_t v = get();
        out[0] = static_cast<uint32_t>(v);
        if (width_ > 32) out[1] = static_cast<uint32_t>(v >> 32);
    }
    void setWords(const uint32_t* in) const {
        if (width_ > 64) {
            uint32_t* w = static_cast<uint32_t*>(p_);
            std::memcpy(w, in, words() * 4);
            if (width_ % 32) w[words() - 1] &= (uint32_t{1} << (width_ % 32)) - 1;
            return;
        }
        uint64_t v = in[0];
        if (width_ > 32) v |= uint64_t{in[1]} << 32;
        set(v);
    }

  private:
    void* p_ = nullptr;
    int width_ = 0;
};

// What a model is made from: the ports Java named (an absent optional port is invalid) and
// integer parameters. The meaning of both lists is each model's own contract.
struct ModelConfig {
    std::vector<PortRef> ports;
    std::vector<int64_t> params;
};

class BusModel {
  public:
    virtual ~BusModel() = default;
    // Around every edge of the model's clock: before() sees the design's outputs as its flops
    // sample them at this edge; after() drives inputs for the next edge. Inputs driven in
    // after() are evaluated by the next edge's eval.
    virtual void before(bool rising) = 0;
    virtual void after(bool rising) = 0;
    // Bytes from Java (e.g. frames to send). Returns false on a malformed batch (nothing kept).
    virtual bool put(const uint8_t* data, size_t len) { (void)data; return len == 0; }
    // Bytes to Java (e.g. frames received), at most cap, whole records only. Returns the count.
    virtual size_t take(uint8_t* out, size_t cap) { (void)out; (void)cap; return 0; }
    // A counter or state value; the meaning of `what` is the model's own.
    virtual int64_t query(int what) { (void)what; return 0; }

    // Ends the current run after this edge (a model whose batch Java is waiting for is done).
    void requestStop() {
        if (stop_) *stop_ = true;
    }
    bool* stop_ = nullptr;  // the simulator's flag, set when the model is attached
};

// Registration of a model kind under a name that Java passes to Native.attach.
using ModelFactory = BusModel* (*)(const ModelConfig& config, std::string& error);

struct ModelKind {
    const char* name;
    ModelFactory create;
    ModelKind* next;
    ModelKind(const char* n, ModelFactory f);
    static ModelKind* find(const std::string& name);
};

// Little-endian helpers for the byte batches.
inline uint32_t loadLe32(const uint8_t* p) { return p[0] | p[1] << 8 | p[2] << 16 | uint32_t{p[3]} << 24; }
inline uint64_t loadLe(const uint8_t* p, int n) {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) v = v << 8 | p[i];
    return v;
}
inline void storeLe(uint8_t* p, uint64_t v, int n) {
    for (int i = 0; i < n; i++, v >>= 8) p[i] = static_cast<uint8_t>(v);
}

// A small, seeded generator: the same seed gives the same back-pressure pattern everywhere.
class SplitMix64 {
  public:
    explicit SplitMix64(uint64_t seed) : s_(seed) {}
    uint64_t next() {
        uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    // True with probability per65536 / 65536.
    bool chance(uint32_t per65536) { return (next() >> 48) < per65536; }

  private:
    uint64_t s_;
};

}  // namespace jnic

#endif
