/*
 * "pins": a pin player and recorder, the general way to model a wire bit-accurately at full speed
 * (MII nibbles, RMII dibits, RGMII's two edges). On every chosen edge of its clock it samples the
 * recorded outputs (before the edge) and then drives the next queued vector onto the played inputs.
 *
 * Ports: the played inputs, then the recorded outputs (each at most 64 bits wide).
 * Params: number of played inputs, edges (1 rising, 2 falling, 3 both).
 * A vector is each pin's value in ceil(width/8) little-endian bytes, pins in port order.
 * put: played vectors, back to back. take: recorded vectors, back to back.
 * When the queue runs dry the inputs hold their last values (query 1 counts those edges).
 */
#include "bus_model.h"

namespace jnic {
namespace {

class Pins : public BusModel {
  public:
    Pins(const ModelConfig& c, size_t played, int edges) : edges_(edges) {
        for (size_t i = 0; i < c.ports.size(); i++) {
            Pin pin{c.ports[i], (c.ports[i].width() + 7) / 8};
            (i < played ? in_ : out_).push_back(pin);
            (i < played ? inBytes_ : outBytes_) += pin.bytes;
        }
    }

    void before(bool rising) override {
        if (!chosen(rising) || out_.empty()) return;
        size_t at = recorded_.size();
        recorded_.resize(at + outBytes_);
        for (const Pin& p : out_) {
            storeLe(&recorded_[at], p.port.get(), p.bytes);
            at += p.bytes;
        }
    }

    void after(bool rising) override {
        if (!chosen(rising) || in_.empty()) return;
        if (queue_.size() - head_ < inBytes_) {
            dry_++;
            return;
        }
        for (const Pin& p : in_) {
            p.port.set(loadLe(&queue_[head_], p.bytes));
            head_ += p.bytes;
        }
        played_++;
        if (head_ == queue_.size()) {
            queue_.clear();
            head_ = 0;
        }
    }

    bool put(const uint8_t* data, size_t len) override {
        if (inBytes_ == 0 || len % inBytes_ != 0) return false;
        if (head_ > queue_.size() / 2) {  // reclaim what was played
            queue_.erase(queue_.begin(), queue_.begin() + head_);
            head_ = 0;
        }
        queue_.insert(queue_.end(), data, data + len);
        return true;
    }

    size_t take(uint8_t* out, size_t cap) override {
        size_t n = std::min(cap - cap % (outBytes_ ? outBytes_ : 1), recorded_.size() - taken_);
        std::copy(recorded_.begin() + taken_, recorded_.begin() + taken_ + n, out);
        taken_ += n;
        if (taken_ == recorded_.size()) {
            recorded_.clear();
            taken_ = 0;
        }
        return n;
    }

    // 0 vectors played, 1 edges with nothing to play, 2 vectors queued, 3 recorded bytes waiting
    int64_t query(int what) override {
        switch (what) {
            case 0: return played_;
            case 1: return dry_;
            case 2: return inBytes_ ? static_cast<int64_t>((queue_.size() - head_) / inBytes_) : 0;
            default: return static_cast<int64_t>(recorded_.size() - taken_);
        }
    }

  private:
    struct Pin {
        PortRef port;
        int bytes;
    };
    bool chosen(bool rising) const { return edges_ & (rising ? 1 : 2); }

    int edges_;
    std::vector<Pin> in_, out_;
    size_t inBytes_ = 0, outBytes_ = 0;
    std::vector<uint8_t> queue_, recorded_;
    size_t head_ = 0, taken_ = 0;
    int64_t played_ = 0, dry_ = 0;
};

BusModel* make(const ModelConfig& c, std::string& error) {
    if (c.params.size() != 2) return error = "expects 2 parameters (played inputs, edges)", nullptr;
    int64_t played = c.params[0], edges = c.params[1];
    if (played < 0 || played > static_cast<int64_t>(c.ports.size())) return error = "bad count of played inputs", nullptr;
    if (edges < 1 || edges > 3) return error = "edges must be 1 (rising), 2 (falling) or 3 (both)", nullptr;
    for (const PortRef& p : c.ports)
        if (!p.valid() || p.width() > 64) return error = "every pin must be present and at most 64 bits", nullptr;
    return new Pins(c, static_cast<size_t>(played), static_cast<int>(edges));
}

ModelKind pins("pins", make);

}  // namespace
}  // namespace jnic
