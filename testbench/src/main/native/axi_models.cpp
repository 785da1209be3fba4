/*
 * AXI host models: "axi4_memory", an AXI4 slave answering a master's bursts from a memory that is
 * Java's direct ByteBuffer (the same bytes, no copy), and "axi4lite_master", a register port that
 * runs Java's batches of AXI4-Lite reads and writes.
 *
 * axi4_memory ports (index -1 = absent):
 *   0 aw_valid 1 aw_ready 2 aw_id 3 aw_addr 4 aw_len 5 aw_size 6 aw_burst
 *   7 w_valid 8 w_ready 9 w_data 10 w_strb 11 w_last
 *   12 b_valid 13 b_ready 14 b_id 15 b_resp
 *   16 ar_valid 17 ar_ready 18 ar_id 19 ar_addr 20 ar_len 21 ar_size 22 ar_burst
 *   23 r_valid 24 r_ready 25 r_id 26 r_data 27 r_resp 28 r_last
 * params: memory address (a native pointer), memory bytes, bus address of byte 0, seed.
 * put: commands of 32 bytes [u32 op][u32 0][u64 a][u64 b][u64 c]:
 *   1 latency: a = read latency, b = write latency (cycles from the last address/data beat to the
 *     first response), c = jitter (a uniform 0..c cycles added to each burst's latency)
 *   2 bandwidth: a = read bytes, b = write bytes per 1024 cycles (0 = unlimited)
 *   3 reorder: a = chance per 65536 that the response of a random other ID goes first
 *   4 error range: bursts touching [a, b) are answered c (2 SLVERR, 3 DECERR); writes are dropped
 *   5 clear the error ranges
 *   6 limits: a = reads, b = writes accepted and not yet answered (0 = unlimited)
 * Bursts are INCR; a beat's lanes follow the aligned address. A burst outside the memory window is
 * answered DECERR. Same-ID responses keep their order (AXI's rule); writes reach memory when their
 * B response is sent, so a master that waits for B before writing a flag orders its writes.
 * Protocol mistakes of the master are counted, never fatal (queries 6 and 7).
 *
 * axi4lite_master ports: 0 aw_valid 1 aw_ready 2 aw_addr 3 w_valid 4 w_ready 5 w_data 6 w_strb
 *   7 b_valid 8 b_ready 9 b_resp 10 ar_valid 11 ar_ready 12 ar_addr 13 r_valid 14 r_ready 15 r_data
 *   16 r_resp. params: timeout in cycles per access.
 * put: accesses of 16 bytes [u32 op (0 read, 1 write, 2 idle)][u32 address or idle cycles][u32 data]
 *   [u32 strobes], run in order, one at a time; the run loop stops when the batch is done.
 * take: a result of 8 bytes per read or write, [u32 data (reads)][u32 resp, 0xFF on a timeout].
 */
#include <deque>

#include "bus_model.h"

namespace jnic {
namespace {

enum MemPin {
    AW_VALID, AW_READY, AW_ID, AW_ADDR, AW_LEN, AW_SIZE, AW_BURST,
    W_VALID, W_READY, W_DATA, W_STRB, W_LAST,
    B_VALID, B_READY, B_ID, B_RESP,
    AR_VALID, AR_READY, AR_ID, AR_ADDR, AR_LEN, AR_SIZE, AR_BURST,
    R_VALID, R_READY, R_ID, R_DATA, R_RESP, R_LAST, MEM_PINS
};

const int RESP_OKAY = 0, RESP_DECERR = 3;

struct Burst {
    uint64_t id, addr;  // addr: aligned to the beat
    int beats;
    uint64_t dueAt;     // cycle from which its response may go
    int resp;
    uint64_t seq;       // acceptance order
    std::vector<uint64_t> data, strb;  // writes: the W beats
};

// A token bucket in 1/1024 bytes: `rate` bytes per 1024 cycles, at most 32 beats saved up.
struct Bandwidth {
    uint64_t rate = 0, tokens = 0, cap = 0;
    void tick() {
        if (rate) tokens = std::min(cap, tokens + rate);
    }
    bool allows(int bytes) const { return rate == 0 || tokens >= uint64_t(bytes) * 1024; }
    void spend(int bytes) {
        if (rate) tokens -= uint64_t(bytes) * 1024;
    }
};

class AxiMemory : public BusModel {
  public:
    AxiMemory(const ModelConfig& c)
        : p_(c.ports), mem_(reinterpret_cast<uint8_t*>(c.params[0])), size_(uint64_t(c.params[1])),
          base_(uint64_t(c.params[2])), random_(uint64_t(c.params[3])), bytes_(c.ports[W_DATA].width() / 8) {
        for (int i : {AW_READY, W_READY, B_VALID, AR_READY, R_VALID}) p_[i].set(0);
        readBw_.cap = writeBw_.cap = uint64_t(32) * bytes_ * 1024;
        while ((1 << sizeLog2_) < bytes_) sizeLog2_++;
    }

    void before(bool rising) override {
        if (!rising) return;
        cycle_++;
        readBw_.tick();
        writeBw_.tick();
        if (p_[AR_READY].get() && p_[AR_VALID].get()) acceptRead();
        if (p_[AW_READY].get() && p_[AW_VALID].get()) acceptWrite();
        if (p_[W_READY].get() && p_[W_VALID].get()) acceptBeat();
        if (rOn_ && p_[R_READY].get()) {  // the beat on R is taken
            rOn_ = false;
            readBw_.spend(bytes_);
            readBeats_++;
            if (++rBeat_ == reads_[rAt_].beats) {
                reads_.erase(reads_.begin() + rAt_);
                rAt_ = -1;
            }
        }
        if (bOn_ && p_[B_READY].get()) {
            bOn_ = false;
            done_.erase(done_.begin() + bAt_);
        }
    }

    void after(bool rising) override {
        if (!rising) return;
        p_[AR_READY].set(maxReads_ == 0 || reads_.size() < maxReads_);
        p_[AW_READY].set(maxWrites_ == 0 || writesOutstanding() < maxWrites_);
        p_[W_READY].set(!filling_.empty() && writeBw_.allows(bytes_));
        if (!rOn_) nextReadBeat();
        if (!bOn_) nextWriteResponse();
    }

    bool put(const uint8_t* d, size_t len) override {
        if (len % 32) return false;
        for (size_t at = 0; at < len; at += 32) {
            uint32_t op = loadLe32(d + at);
            uint64_t a = loadLe(d + at + 8, 8), b = loadLe(d + at + 16, 8), c = loadLe(d + at + 24, 8);
            switch (op) {
                case 1: readLatency_ = a, writeLatency_ = b, jitter_ = c; break;
                case 2: readBw_.rate = a, writeBw_.rate = b, readBw_.tokens = readBw_.cap, writeBw_.tokens = writeBw_.cap; break;
                case 3: reorder_ = uint32_t(a); break;
                case 4: errors_.push_back(Range{a, b, int(c & 3)}); break;
                case 5: errors_.clear(); break;
                case 6: maxReads_ = a, maxWrites_ = b; break;
                default: return false;
            }
        }
        return true;
    }

    // 0 read bursts, 1 write bursts, 2 read beats, 3 write beats, 4 error responses,
    // 5 bursts crossing 4 KiB, 6 other protocol mistakes (size, burst type, WLAST),
    // 7 most reads outstanding, 8 most writes outstanding, 9 reads outstanding now, 10 writes now,
    // 11 responses sent ahead of an older one already due, 12 read IDs seen (bit n: ID n < 64), 13 write IDs seen
    int64_t query(int what) override {
        switch (what) {
            case 0: return readBursts_;
            case 1: return writeBursts_;
            case 2: return readBeats_;
            case 3: return writeBeats_;
            case 4: return errorResponses_;
            case 5: return crossings_;
            case 6: return mistakes_;
            case 7: return maxReadsSeen_;
            case 8: return maxWritesSeen_;
            case 9: return int64_t(reads_.size());
            case 10: return int64_t(writesOutstanding());
            case 11: return reordered_;
            case 12: return int64_t(readIds_);
            case 13: return int64_t(writeIds_);
            default: return 0;
        }
    }

  private:
    struct Range {
        uint64_t from, to;
        int resp;
    };

    size_t writesOutstanding() const { return filling_.size() + done_.size(); }

    // What a burst of `beats` beats from `addr` is answered, and the mistakes it makes.
    Burst open(uint64_t id, uint64_t addr, int beats, int size, int burst, uint64_t latency) {
        if (((addr & 0xFFF) + uint64_t(beats) * bytes_ > 4096)) crossings_++;
        if (size != sizeLog2_ || burst != 1) mistakes_++;
        Burst b{id, addr & ~uint64_t(bytes_ - 1), beats, 0, RESP_OKAY, seq_++, {}, {}};
        uint64_t end = b.addr + uint64_t(beats) * bytes_;
        if (b.addr < base_ || end > base_ + size_ || end < b.addr) b.resp = RESP_DECERR;
        for (const Range& r : errors_)
            if (b.addr < r.to && end > r.from) b.resp = r.resp;
        b.dueAt = cycle_ + latency + (jitter_ ? random_.next() % (jitter_ + 1) : 0);
        return b;
    }

    void acceptRead() {
        uint64_t id = p_[AR_ID].valid() ? p_[AR_ID].get() : 0;
        reads_.push_back(open(id, p_[AR_ADDR].get(), int(p_[AR_LEN].get()) + 1, int(p_[AR_SIZE].get()),
                              int(p_[AR_BURST].get()), readLatency_));
        readBursts_++;
        if (id < 64) readIds_ |= uint64_t{1} << id;
        maxReadsSeen_ = std::max<int64_t>(maxReadsSeen_, int64_t(reads_.size()));
    }

    void acceptWrite() {
        uint64_t id = p_[AW_ID].valid() ? p_[AW_ID].get() : 0;
        Burst b = open(id, p_[AW_ADDR].get(), int(p_[AW_LEN].get()) + 1, int(p_[AW_SIZE].get()), int(p_[AW_BURST].get()), 0);
        filling_.push_back(std::move(b));
        writeBursts_++;
        if (id < 64) writeIds_ |= uint64_t{1} << id;
        maxWritesSeen_ = std::max<int64_t>(maxWritesSeen_, int64_t(writesOutstanding()));
    }

    void acceptBeat() {
        Burst& b = filling_.front();
        b.data.push_back(p_[W_DATA].get());
        b.strb.push_back(p_[W_STRB].valid() ? p_[W_STRB].get() : ~uint64_t{0});
        writeBw_.spend(bytes_);
        writeBeats_++;
        bool last = p_[W_LAST].get() != 0;
        bool full = int(b.data.size()) == b.beats;
        if (last != full) mistakes_++;  // WLAST early or late: the burst ends at whichever comes first
        if (last || full) {
            b.dueAt = cycle_ + writeLatency_ + (jitter_ ? random_.next() % (jitter_ + 1) : 0);
            done_.push_back(std::move(b));
            filling_.pop_front();
        }
    }

    // Of the bursts whose response is due, the one to answer next: the oldest per ID may go; the
    // earliest due goes first, or, with the reorder chance, a random one of them.
    int choose(const std::deque<Burst>& q) {
        int candidates[64], n = 0, best = -1;
        uint64_t idsBefore = 0;  // IDs (mod 64) of older bursts: their younger ones must wait
        for (size_t i = 0; i < q.size() && n < 64; i++) {
            uint64_t bit = uint64_t{1} << (q[i].id & 63);
            bool blocked = idsBefore & bit;
            idsBefore |= bit;
            if (blocked || q[i].dueAt > cycle_) continue;
            candidates[n++] = int(i);
            if (best < 0 || q[i].dueAt < q[best].dueAt) best = int(i);
        }
        if (n == 0) return -1;
        int pick = best;
        if (n > 1 && reorder_ && random_.chance(reorder_)) pick = candidates[random_.next() % n];
        if (q[pick].seq != q[candidates[0]].seq) reordered_++;
        return pick;
    }

    void nextReadBeat() {
        p_[R_VALID].set(0);
        if (rAt_ < 0) {
            rAt_ = choose(reads_);
            rBeat_ = 0;
            if (rAt_ < 0) return;
            if (reads_[rAt_].resp != RESP_OKAY) errorResponses_++;
        }
        if (!readBw_.allows(bytes_)) return;
        const Burst& b = reads_[rAt_];
        uint64_t addr = b.addr + uint64_t(rBeat_) * bytes_;
        uint64_t data = 0;
        if (b.resp == RESP_OKAY) data = loadLe(mem_ + (addr - base_), bytes_);
        p_[R_DATA].set(data);
        if (p_[R_ID].valid()) p_[R_ID].set(b.id);
        p_[R_RESP].set(b.resp);
        p_[R_LAST].set(rBeat_ == b.beats - 1);
        p_[R_VALID].set(1);
        rOn_ = true;
    }

    void nextWriteResponse() {
        p_[B_VALID].set(0);
        bAt_ = choose(done_);
        if (bAt_ < 0) return;
        const Burst& b = done_[bAt_];
        if (b.resp == RESP_OKAY) {
            for (size_t i = 0; i < b.data.size(); i++) {
                uint8_t* at = mem_ + (b.addr - base_) + i * bytes_;
                for (int k = 0; k < bytes_; k++)
                    if (b.strb[i] >> k & 1) at[k] = uint8_t(b.data[i] >> (8 * k));
            }
        } else {
            errorResponses_++;
        }
        if (p_[B_ID].valid()) p_[B_ID].set(b.id);
        p_[B_RESP].set(b.resp);
        p_[B_VALID].set(1);
        bOn_ = true;
    }

    std::vector<PortRef> p_;
    uint8_t* mem_;
    uint64_t size_, base_;
    SplitMix64 random_;
    int bytes_, sizeLog2_ = 0;
    uint64_t cycle_ = 0, seq_ = 0;
    uint64_t readLatency_ = 0, writeLatency_ = 0, jitter_ = 0;
    uint32_t reorder_ = 0;
    size_t maxReads_ = 0, maxWrites_ = 0;
    Bandwidth readBw_, writeBw_;
    std::vector<Range> errors_;
    std::deque<Burst> reads_, filling_, done_;
    int rAt_ = -1, rBeat_ = 0, bAt_ = -1;
    bool rOn_ = false, bOn_ = false;
    int64_t readBursts_ = 0, writeBursts_ = 0, readBeats_ = 0, writeBeats_ = 0, errorResponses_ = 0;
    int64_t crossings_ = 0, mistakes_ = 0, maxReadsSeen_ = 0, maxWritesSeen_ = 0, reordered_ = 0;
    uint64_t readIds_ = 0, writeIds_ = 0;
};

BusModel* makeMemory(const ModelConfig& c, std::string& error) {
    if (c.ports.size() != MEM_PINS) return error = "expects 29 ports (the five AXI4 channels)", nullptr;
    for (int i : {AW_VALID, AW_READY, AW_ADDR, AW_LEN, W_VALID, W_READY, W_DATA, W_LAST, B_VALID, B_READY, B_RESP,
                  AR_VALID, AR_READY, AR_ADDR, AR_LEN, R_VALID, R_READY, R_DATA, R_RESP, R_LAST})
        if (!c.ports[i].valid()) return error = "a required AXI4 signal is missing (port " + std::to_string(i) + ")", nullptr;
    int w = c.ports[W_DATA].width();
    if (w < 8 || w > 64 || (w & (w - 1)) || c.ports[R_DATA].width() != w) return error = "data must be 8 to 64 bits, a power of two", nullptr;
    if (c.ports[AW_ADDR].width() > 64) return error = "addresses of at most 64 bits", nullptr;
    if (c.params.size() != 4) return error = "expects 4 parameters (memory, bytes, bus base, seed)", nullptr;
    if (c.params[0] == 0 || c.params[1] <= 0) return error = "no memory", nullptr;
    return new AxiMemory(c);
}

ModelKind memory("axi4_memory", makeMemory);

// ---- AXI4-Lite register port ----------------------------------------------------------------------

enum LitePin {
    LAW_VALID, LAW_READY, LAW_ADDR, LW_VALID, LW_READY, LW_DATA, LW_STRB, LB_VALID, LB_READY, LB_RESP,
    LAR_VALID, LAR_READY, LAR_ADDR, LR_VALID, LR_READY, LR_DATA, LR_RESP, LITE_PINS
};

class AxiLiteMaster : public BusModel {
  public:
    AxiLiteMaster(const ModelConfig& c) : p_(c.ports), timeout_(uint64_t(c.params[0])) {
        for (int i : {LAW_VALID, LW_VALID, LB_READY, LAR_VALID, LR_READY}) p_[i].set(0);
    }

    // Sees the handshakes of this edge; the pins change only in after().
    void before(bool rising) override {
        if (!rising || !busy_) return;
        const Access& a = queue_.front();
        waited_++;
        if (a.op == 2) {
            if (waited_ >= a.addr) finish(0, 0, false);
        } else if (a.op == 1) {
            if (p_[LAW_VALID].get() && p_[LAW_READY].get()) addressTaken_ = true;
            if (p_[LW_VALID].get() && p_[LW_READY].get()) dataTaken_ = true;
            if (p_[LB_READY].get() && p_[LB_VALID].get()) finish(0, uint32_t(p_[LB_RESP].get()), true);
        } else {
            if (p_[LAR_VALID].get() && p_[LAR_READY].get()) addressTaken_ = true;
            if (p_[LR_READY].get() && p_[LR_VALID].get()) finish(uint32_t(p_[LR_DATA].get()), uint32_t(p_[LR_RESP].get()), true);
        }
        if (busy_ && timeout_ && waited_ >= timeout_) {
            timeouts_++;
            finish(0, 0xFF, true);
        }
    }

    void after(bool rising) override {
        if (!rising) return;
        if (!busy_ && !queue_.empty()) start();
        const uint32_t op = busy_ ? queue_.front().op : 2;
        p_[LAW_VALID].set(op == 1 && !addressTaken_);
        p_[LW_VALID].set(op == 1 && !dataTaken_);
        p_[LB_READY].set(op == 1);
        p_[LAR_VALID].set(op == 0 && !addressTaken_);
        p_[LR_READY].set(op == 0);
    }

    bool put(const uint8_t* d, size_t len) override {
        if (len % 16) return false;
        for (size_t at = 0; at < len; at += 16)
            if (loadLe32(d + at) > 2) return false;
        for (size_t at = 0; at < len; at += 16)
            queue_.push_back(Access{loadLe32(d + at), loadLe32(d + at + 4), loadLe32(d + at + 8), loadLe32(d + at + 12)});
        return true;
    }

    size_t take(uint8_t* out, size_t cap) override {
        size_t n = std::min(out_.size() - taken_, cap - cap % 8);
        std::copy(out_.begin() + taken_, out_.begin() + taken_ + n, out);
        taken_ += n;
        if (taken_ == out_.size()) out_.clear(), taken_ = 0;
        return n;
    }

    // 0 accesses done, 1 accesses queued (with the one in progress), 2 timeouts, 3 result bytes waiting
    int64_t query(int what) override {
        switch (what) {
            case 0: return done_;
            case 1: return int64_t(queue_.size());
            case 2: return timeouts_;
            default: return int64_t(out_.size() - taken_);
        }
    }

  private:
    struct Access {
        uint32_t op, addr, data, strb;
    };

    void start() {
        const Access& a = queue_.front();
        busy_ = true;
        waited_ = 0;
        addressTaken_ = dataTaken_ = false;
        if (a.op == 1) {
            p_[LAW_ADDR].set(a.addr);
            p_[LW_DATA].set(a.data);
            p_[LW_STRB].set(a.strb);
        } else if (a.op == 0) {
            p_[LAR_ADDR].set(a.addr);
        }
    }

    void finish(uint32_t data, uint32_t resp, bool result) {
        queue_.pop_front();
        busy_ = false;
        done_++;
        if (result) {
            size_t at = out_.size();
            out_.resize(at + 8);
            storeLe(&out_[at], data, 4);
            storeLe(&out_[at + 4], resp, 4);
        }
        if (queue_.empty()) requestStop();
    }

    std::vector<PortRef> p_;
    uint64_t timeout_;
    std::deque<Access> queue_;
    bool busy_ = false, addressTaken_ = false, dataTaken_ = false;
    uint64_t waited_ = 0;
    std::vector<uint8_t> out_;
    size_t taken_ = 0;
    int64_t done_ = 0, timeouts_ = 0;
};

BusModel* makeLite(const ModelConfig& c, std::string& error) {
    if (c.ports.size() != LITE_PINS) return error = "expects 17 ports (the five AXI4-Lite channels)", nullptr;
    for (const PortRef& p : c.ports)
        if (!p.valid()) return error = "every AXI4-Lite signal is required", nullptr;
    if (c.ports[LW_DATA].width() != 32 || c.ports[LR_DATA].width() != 32) return error = "AXI4-Lite data is 32 bits", nullptr;
    if (c.params.size() != 1) return error = "expects 1 parameter (timeout cycles)", nullptr;
    return new AxiLiteMaster(c);
}

ModelKind lite("axi4lite_master", makeLite);

}  // namespace
}  // namespace jnic
