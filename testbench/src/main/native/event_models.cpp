/*
 * "event_recorder": a logic analyser at full speed. Each probe is three ports (trigger, qualifier,
 * value; qualifier and value may be absent) and a mode, one parameter per probe:
 *   mode 0: an event whenever the trigger port's value changes (its new value; the first edge
 *           records the initial value);
 *   mode 1: an event on every edge where the trigger and the qualifier (if present) are both
 *           nonzero: a pulse, or a valid/ready handshake; the value is the value port's (else 1).
 * Sampled before each rising edge, as the design's flops see them. take: records of
 * [u64 edge count][u8 probe][u64 value]. Query 0: events recorded; 1: bytes waiting; 2: edges.
 */
#include "bus_model.h"

namespace jnic {
namespace {

class EventRecorder : public BusModel {
  public:
    EventRecorder(const ModelConfig& c) : modes_(c.params), last_(c.params.size(), ~uint64_t{0}) {
        for (size_t i = 0; i < c.ports.size(); i++) ports_.push_back(c.ports[i]);
    }

    void before(bool rising) override {
        if (!rising) return;
        edges_++;
        for (size_t p = 0; p < modes_.size(); p++) {
            const PortRef& trigger = ports_[3 * p];
            const PortRef& qualifier = ports_[3 * p + 1];
            const PortRef& value = ports_[3 * p + 2];
            uint64_t t = trigger.get();
            if (modes_[p] == 0) {
                if (t != last_[p]) record(p, t);
                last_[p] = t;
            } else if (t != 0 && (!qualifier.valid() || qualifier.get() != 0)) {
                record(p, value.valid() ? value.get() : 1);
            }
        }
    }
    void after(bool) override {}

    size_t take(uint8_t* out, size_t cap) override {
        size_t n = std::min(cap / RECORD * RECORD, out_.size() - taken_);
        std::copy(out_.begin() + taken_, out_.begin() + taken_ + n, out);
        taken_ += n;
        if (taken_ == out_.size()) {
            out_.clear();
            taken_ = 0;
        }
        return n;
    }

    int64_t query(int what) override {
        switch (what) {
            case 0: return events_;
            case 1: return static_cast<int64_t>(out_.size() - taken_);
            default: return edges_;
        }
    }

  private:
    static constexpr size_t RECORD = 17;

    void record(size_t probe, uint64_t value) {
        size_t at = out_.size();
        out_.resize(at + RECORD);
        storeLe(&out_[at], edges_, 8);
        out_[at + 8] = static_cast<uint8_t>(probe);
        storeLe(&out_[at + 9], value, 8);
        events_++;
    }

    std::vector<PortRef> ports_;
    std::vector<int64_t> modes_;
    std::vector<uint64_t> last_;
    std::vector<uint8_t> out_;
    size_t taken_ = 0;
    int64_t edges_ = 0, events_ = 0;
};

BusModel* makeRecorder(const ModelConfig& c, std::string& error) {
    size_t probes = c.params.size();
    if (probes == 0 || probes > 255 || c.ports.size() != 3 * probes) return error = "expects 3 ports and a mode per probe (1 to 255 probes)", nullptr;
    for (size_t p = 0; p < probes; p++) {
        if (c.params[p] != 0 && c.params[p] != 1) return error = "a probe's mode is 0 (changes) or 1 (pulses)", nullptr;
        if (!c.ports[3 * p].valid()) return error = "every probe needs its trigger port", nullptr;
        for (int k = 0; k < 3; k++)
            if (c.ports[3 * p + k].valid() && c.ports[3 * p + k].width() > 64) return error = "ports of at most 64 bits", nullptr;
    }
    return new EventRecorder(c);
}

ModelKind eventRecorder("event_recorder", makeRecorder);

}  // namespace
}  // namespace jnic
