/*
 * Ready/valid byte-stream models: "stream_source" drives frames into the design, "stream_sink"
 * collects frames from it. Beats carry data.width/8 bytes, first byte in the low bits.
 *
 * Ports (index -1 = absent): 0 valid, 1 ready, 2 data, 3 last, 4 keep, 5 user.
 * stream_source params: seed, gap chance per 65536 beats (random idle cycles between beats).
 *   put: records [u32 length][u32 idle cycles before the frame][u64 user][bytes].
 * stream_sink params: seed, ready chance per 65536 cycles (65536 = always ready).
 *   take: records [u32 length][u32 0][u64 user at the last beat][u64 cycle of the last beat][bytes],
 *   cycles counted in rising edges since the sink was attached.
 */
#include <deque>

#include "bus_model.h"

namespace jnic {
namespace {

enum Pin { VALID, READY, DATA, LAST, KEEP, USER, PINS };

bool checkPorts(const ModelConfig& c, std::string& error) {
    if (c.ports.size() != PINS) return error = "expects 6 ports (valid, ready, data, last, keep, user)", false;
    if (!c.ports[VALID].valid() || !c.ports[DATA].valid()) return error = "valid and data are required", false;
    int w = c.ports[DATA].width();
    if (w % 8 != 0 || w > 64) return error = "data must be 8 to 64 bits, whole bytes", false;
    if (w > 8 && !c.ports[KEEP].valid()) return error = "data wider than a byte needs a keep port", false;
    if (!c.ports[LAST].valid()) return error = "last is required", false;
    if (c.params.size() != 2) return error = "expects 2 parameters (seed, chance per 65536)", false;
    return true;
}

uint64_t keepMask(int bytes) { return bytes >= 64 ? ~uint64_t{0} : (uint64_t{1} << bytes) - 1; }

class StreamSource : public BusModel {
  public:
    explicit StreamSource(const ModelConfig& c)
        : p_(c.ports), bytes_(c.ports[DATA].width() / 8), random_(c.params[0]),
          gapChance_(static_cast<uint32_t>(c.params[1])) {
        p_[VALID].set(0);
    }

    void before(bool rising) override {
        if (!rising || !valid_) return;
        if (p_[READY].valid() && !p_[READY].get()) return;
        accepted_ = true;
        beats_++;
        Frame& f = frames_.front();
        offset_ += bytes_;
        if (offset_ >= f.data.size()) {
            frames_.pop_front();
            offset_ = 0;
            started_ = false;
            sent_++;
        }
    }

    void after(bool rising) override {
        if (!rising) return;
        if (valid_ && !accepted_) return;  // a beat stays put until it is taken
        accepted_ = false;
        valid_ = nextBeat();
        p_[VALID].set(valid_);
    }

    bool put(const uint8_t* data, size_t len) override {
        std::deque<Frame> batch;
        for (size_t at = 0; at < len;) {
            if (len - at < 16) return false;
            uint32_t n = loadLe32(data + at), idle = loadLe32(data + at + 4);
            uint64_t user = loadLe(data + at + 8, 8);
            at += 16;
            if (n == 0 || len - at < n) return false;
            batch.push_back(Frame{std::vector<uint8_t>(data + at, data + at + n), idle, user});
            at += n;
        }
        for (Frame& f : batch) frames_.push_back(std::move(f));
        return true;
    }

    // 0 frames sent, 1 frames queued (including the one in flight), 2 beats sent
    int64_t query(int what) override {
        return what == 0 ? sent_ : what == 1 ? static_cast<int64_t>(frames_.size()) : beats_;
    }

  private:
    struct Frame {
        std::vector<uint8_t> data;
        uint32_t idle;
        uint64_t user;
    };

    bool nextBeat() {
        if (frames_.empty()) return false;
        Frame& f = frames_.front();
        if (!started_) {
            started_ = true;
            idleLeft_ = f.idle;
        }
        if (idleLeft_ > 0) {
            idleLeft_--;
            return false;
        }
        if (gapChance_ && random_.chance(gapChance_)) return false;
        size_t n = std::min<size_t>(bytes_, f.data.size() - offset_);
        p_[DATA].set(loadLe(f.data.data() + offset_, static_cast<int>(n)));
        if (p_[KEEP].valid()) p_[KEEP].set(keepMask(static_cast<int>(n)));
        p_[LAST].set(offset_ + n >= f.data.size());
        if (p_[USER].valid()) p_[USER].set(f.user);
        return true;
    }

    std::vector<PortRef> p_;
    int bytes_;
    SplitMix64 random_;
    uint32_t gapChance_;
    std::deque<Frame> frames_;
    size_t offset_ = 0;
    bool started_ = false, valid_ = false, accepted_ = false;
    uint32_t idleLeft_ = 0;
    int64_t sent_ = 0, beats_ = 0;
};

class StreamSink : public BusModel {
  public:
    explicit StreamSink(const ModelConfig& c)
        : p_(c.ports), bytes_(c.ports[DATA].width() / 8), random_(c.params[0]),
          readyChance_(static_cast<uint32_t>(c.params[1])) {
        ready_ = !p_[READY].valid() || readyChance_ >= 65536;
        if (p_[READY].valid()) p_[READY].set(ready_);
    }

    void before(bool rising) override {
        if (!rising) return;
        cycle_++;
        if (!ready_ || !p_[VALID].get()) return;
        beats_++;
        uint64_t data = p_[DATA].get();
        uint64_t keep = p_[KEEP].valid() ? p_[KEEP].get() : 1;
        for (int i = 0; i < bytes_; i++)
            if (keep >> i & 1) frame_.push_back(static_cast<uint8_t>(data >> (8 * i)));
        if (!p_[LAST].get()) return;
        size_t at = out_.size();
        out_.resize(at + 24 + frame_.size());
        storeLe(&out_[at], frame_.size(), 4);
        storeLe(&out_[at + 4], 0, 4);
        storeLe(&out_[at + 8], p_[USER].valid() ? p_[USER].get() : 0, 8);
        storeLe(&out_[at + 16], cycle_, 8);
        std::copy(frame_.begin(), frame_.end(), out_.begin() + at + 24);
        frame_.clear();
        frames_++;
    }

    void after(bool rising) override {
        if (!rising || !p_[READY].valid()) return;
        ready_ = readyChance_ >= 65536 || random_.chance(readyChance_);
        p_[READY].set(ready_);
    }

    size_t take(uint8_t* out, size_t cap) override {
        size_t at = taken_, end = taken_;
        while (end < out_.size()) {
            size_t record = 24 + loadLe32(&out_[end]);
            if (end + record - at > cap) break;
            end += record;
        }
        std::copy(out_.begin() + at, out_.begin() + end, out);
        taken_ = end;
        if (taken_ == out_.size()) {
            out_.clear();
            taken_ = 0;
        }
        return end - at;
    }

    // 0 frames received, 1 beats received, 2 bytes of the frame in progress, 3 bytes waiting for take
    int64_t query(int what) override {
        switch (what) {
            case 0: return frames_;
            case 1: return beats_;
            case 2: return static_cast<int64_t>(frame_.size());
            default: return static_cast<int64_t>(out_.size() - taken_);
        }
    }

  private:
    std::vector<PortRef> p_;
    int bytes_;
    SplitMix64 random_;
    uint32_t readyChance_;
    bool ready_;
    uint64_t cycle_ = 0;
    std::vector<uint8_t> frame_, out_;
    size_t taken_ = 0;
    int64_t frames_ = 0, beats_ = 0;
};

template <class M> BusModel* make(const ModelConfig& c, std::string& error) {
    return checkPorts(c, error) ? new M(c) : nullptr;
}

ModelKind source("stream_source", make<StreamSource>);
ModelKind sink("stream_sink", make<StreamSink>);

}  // namespace
}  // namespace jnic
