/*
 * The PHY side of a simulated card, at full speed inside the batched loop:
 *
 * "gmii_tx": records the frames a MAC sends on GMII. Ports: txd (8), tx_en, tx_er. On each rising
 *   edge with TX_EN high the byte is kept; the edge TX_EN falls ends the frame. take: records of
 *   [u32 length][u64 edge count at the frame's end][u8 1 if TX_ER was seen][bytes as on the wire:
 *   preamble, SFD, frame, FCS].
 *
 * "gmii_rx": plays frames onto a MAC's GMII receive pins. Ports: rxd (8), rx_dv, rx_er. put: records
 *   of [u32 length][u64 earliest edge][bytes as on the wire]; a frame starts at the first edge at or
 *   after its earliest edge that also leaves the gap (param 0, in byte times) after the previous one.
 *   Query 0: frames started; 1: frames queued; 2: edges so far.
 *
 * "mdio_phy": the management side of a PHY (IEEE 802.3 clause 22), attached to the clock that
 *   drives MDC. Ports: mdc, mdio_out, mdio_oe (the master's), mdio_in (driven here; idles high).
 *   Param 0: the PHY's address. put: [u8 register][u16 value] records setting registers (a PHY's
 *   status changing). Query r (0..31): register r; query 32: protocol errors.
 */
#include "bus_model.h"

namespace jnic {
namespace {

class GmiiTx : public BusModel {
  public:
    explicit GmiiTx(const ModelConfig& c) : txd_(c.ports[0]), en_(c.ports[1]), er_(c.ports[2]) {}

    void before(bool rising) override {
        if (!rising) return;
        edges_++;
        if (en_.get()) {
            if (!inFrame_) {
                inFrame_ = true;
                error_ = false;
                frame_.clear();
            }
            frame_.push_back(static_cast<uint8_t>(txd_.get()));
            if (er_.get()) error_ = true;
        } else if (inFrame_) {
            inFrame_ = false;
            size_t at = out_.size();
            out_.resize(at + 13 + frame_.size());
            storeLe(&out_[at], frame_.size(), 4);
            storeLe(&out_[at + 4], edges_, 8);
            out_[at + 12] = error_ ? 1 : 0;
            std::copy(frame_.begin(), frame_.end(), out_.begin() + at + 13);
            frames_++;
        }
    }
    void after(bool) override {}

    size_t take(uint8_t* out, size_t cap) override {
        // whole records only
        size_t n = 0;
        while (taken_ + n + 13 <= out_.size()) {
            size_t len = loadLe32(&out_[taken_ + n]);
            if (n + 13 + len > cap) break;
            n += 13 + len;
        }
        std::copy(out_.begin() + taken_, out_.begin() + taken_ + n, out);
        taken_ += n;
        if (taken_ == out_.size()) {
            out_.clear();
            taken_ = 0;
        }
        return n;
    }

    // 0 frames recorded, 1 bytes waiting, 2 edges, 3 whether a frame is on the wire now
    int64_t query(int what) override {
        switch (what) {
            case 0: return frames_;
            case 1: return static_cast<int64_t>(out_.size() - taken_);
            case 2: return edges_;
            default: return inFrame_;
        }
    }

  private:
    PortRef txd_, en_, er_;
    bool inFrame_ = false, error_ = false;
    std::vector<uint8_t> frame_, out_;
    size_t taken_ = 0;
    int64_t edges_ = 0, frames_ = 0;
};

class GmiiRx : public BusModel {
  public:
    GmiiRx(const ModelConfig& c, int64_t gap) : rxd_(c.ports[0]), dv_(c.ports[1]), er_(c.ports[2]), gap_(gap) {}

    void before(bool rising) override {
        if (rising) edges_++;
    }

    void after(bool rising) override {
        if (!rising) return;
        if (pos_ == 0) {
            // between frames: the next one starts when its time and the gap have come
            bool due = head_ < queue_.size() && idle_ >= gap_ && static_cast<uint64_t>(edges_) >= loadLe(&queue_[head_ + 4], 8);
            if (!due) {
                idle_++;
                dv_.set(0);
                rxd_.set(0);
                er_.set(0);
                return;
            }
            length_ = loadLe32(&queue_[head_]);
            started_++;
        }
        rxd_.set(queue_[head_ + 12 + pos_]);
        dv_.set(1);
        er_.set(0);
        if (++pos_ == length_) {
            head_ += 12 + length_;
            pos_ = 0;
            idle_ = 0;
            if (head_ == queue_.size()) {
                queue_.clear();
                head_ = 0;
            }
        }
    }

    bool put(const uint8_t* data, size_t len) override {
        for (size_t at = 0; at < len;) {  // check the records before keeping any
            if (at + 12 > len) return false;
            size_t n = loadLe32(data + at);
            if (n == 0 || at + 12 + n > len) return false;
            at += 12 + n;
        }
        if (pos_ == 0 && head_ > 0) {
            queue_.erase(queue_.begin(), queue_.begin() + head_);
            head_ = 0;
        }
        queue_.insert(queue_.end(), data, data + len);
        return true;
    }

    int64_t query(int what) override {
        switch (what) {
            case 0: return started_;
            case 1: {
                int64_t n = 0;
                for (size_t at = head_; at < queue_.size(); at += 12 + loadLe32(&queue_[at])) n++;
                return n;
            }
            default: return edges_;
        }
    }

  private:
    PortRef rxd_, dv_, er_;
    int64_t gap_;
    std::vector<uint8_t> queue_;
    size_t head_ = 0, pos_ = 0, length_ = 0;
    int64_t idle_ = 1 << 20, edges_ = 0, started_ = 0;
};

class MdioPhy : public BusModel {
  public:
    MdioPhy(const ModelConfig& c, int address)
        : mdc_(c.ports[0]), out_(c.ports[1]), oe_(c.ports[2]), in_(c.ports[3]), address_(address) {
        in_.set(1);
    }

    void before(bool) override {}

    void after(bool rising) override {
        if (!rising) return;
        bool now = mdc_.get() != 0;
        bool mdcRose = now && !mdcBefore_;
        mdcBefore_ = now;
        if (!mdcRose) return;
        int bit = oe_.get() ? static_cast<int>(out_.get() & 1) : static_cast<int>(in_.get() & 1);
        switch (state_) {
            case PREAMBLE:
                if (bit == 1) {
                    ones_++;
                } else {
                    if (ones_ < 32) errors_++;
                    state_ = ones_ >= 32 ? START : PREAMBLE;
                    ones_ = 0;
                }
                break;
            case START:
                if (bit != 1) errors_++;
                state_ = bit == 1 ? HEADER : PREAMBLE;
                bits_ = 0;
                header_ = 0;
                break;
            case HEADER:
                header_ = header_ << 1 | bit;
                if (++bits_ == 12) {
                    int op = header_ >> 10, phy = header_ >> 5 & 31;
                    bits_ = 0;
                    data_ = 0;
                    state_ = phy != address_ ? OTHERS : op == 2 ? READ : op == 1 ? WRITE : PREAMBLE;
                    if (state_ == PREAMBLE) errors_++;
                }
                break;
            case READ: {
                // edge 0 is the first turnaround bit's; then our zero, then the 16 data bits
                int k = bits_++;
                int reg = header_ & 31;
                if (k == 0) in_.set(0);
                else if (k <= 16) in_.set(registers_[reg] >> (16 - k) & 1);
                else {
                    in_.set(1);
                    state_ = PREAMBLE;
                }
                break;
            }
            case OTHERS:
                if (++bits_ == 18) state_ = PREAMBLE;
                break;
            case WRITE: {
                int k = bits_++;
                if ((k == 0 && bit != 1) || (k == 1 && bit != 0)) errors_++;
                if (k >= 2) data_ = data_ << 1 | bit;
                if (k == 17) {
                    registers_[header_ & 31] = data_ & 0xffff;
                    state_ = PREAMBLE;
                }
                break;
            }
        }
    }

    bool put(const uint8_t* data, size_t len) override {
        if (len % 3 != 0) return false;
        for (size_t at = 0; at < len; at += 3)
            if (data[at] > 31) return false;
        for (size_t at = 0; at < len; at += 3) registers_[data[at]] = data[at + 1] | data[at + 2] << 8;
        return true;
    }

    int64_t query(int what) override {
        if (what >= 0 && what < 32) return registers_[what];
        return errors_;
    }

  private:
    enum State { PREAMBLE, START, HEADER, READ, WRITE, OTHERS };
    PortRef mdc_, out_, oe_, in_;
    int address_;
    int registers_[32] = {};
    State state_ = PREAMBLE;
    bool mdcBefore_ = false;
    int ones_ = 0, bits_ = 0, header_ = 0, data_ = 0;
    int64_t errors_ = 0;
};

bool present(const ModelConfig& c, size_t n, std::string& error) {
    if (c.ports.size() != n) return error = "expects " + std::to_string(n) + " ports", false;
    for (const PortRef& p : c.ports)
        if (!p.valid() || p.width() > 8) return error = "every port must be present and at most 8 bits", false;
    return true;
}

BusModel* makeTx(const ModelConfig& c, std::string& error) {
    if (!present(c, 3, error)) return nullptr;
    return new GmiiTx(c);
}

BusModel* makeRx(const ModelConfig& c, std::string& error) {
    if (!present(c, 3, error)) return nullptr;
    if (c.params.size() != 1 || c.params[0] < 1) return error = "expects 1 parameter (the gap in byte times, at least 1)", nullptr;
    return new GmiiRx(c, c.params[0]);
}

BusModel* makeMdio(const ModelConfig& c, std::string& error) {
    if (!present(c, 4, error)) return nullptr;
    if (c.params.size() != 1 || c.params[0] < 0 || c.params[0] > 31) return error = "expects 1 parameter (the PHY address 0..31)", nullptr;
    return new MdioPhy(c, static_cast<int>(c.params[0]));
}

ModelKind gmiiTx("gmii_tx", makeTx);
ModelKind gmiiRx("gmii_rx", makeRx);
ModelKind mdioPhy("mdio_phy", makeMdio);

}  // namespace
}  // namespace jnic
