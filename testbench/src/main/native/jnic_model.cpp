/*
 * The per-design half of the harness: wraps the verilated class Vtop behind the C ABI of
 * jnic_model.h. The design's ports come from jnic_ports.inc, written by the Java side:
 *   JNIC_PORT(name, output, width)
 */
#include "Vtop.h"
#include "jnic_model.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_vcd_c.h"
#endif

#include <cstdarg>
#include <cstdio>
#include <memory>
#include <string>

namespace {

struct Instance {
    VerilatedContext context;
    std::unique_ptr<Vtop> top;
#if VM_TRACE
    std::unique_ptr<VerilatedVcdC> vcd;
    uint64_t lastDump = 0;
    bool dumped = false;
#endif
    int status = JNIC_RUNNING;
    std::string message;
    std::string output;
};

// The instance being evaluated on this thread: $finish, $display... reach it through here.
thread_local Instance* current = nullptr;

const jnic_port_info PORTS[] = {
#define JNIC_PORT(name, output, width) {#name, output, width},
#include "jnic_ports.inc"
#undef JNIC_PORT
};

template <class T> void* storage(T& value) { return &value; }
template <std::size_t N> void* storage(VlWide<N>& value) { return value.data(); }

// Verilator's runtime finds "the" context through a per-thread pointer (scopes use it even in
// destructors): point it at this instance before touching the instance.
void enter(Instance* inst) {
    current = inst;
    Verilated::threadContextp(&inst->context);
}

// The hot path: no thread-local access (the caller entered the instance for its batch).
void evaluate(Instance* inst, uint64_t timePs) {
    inst->context.time(timePs);
    inst->top->eval();
#if VM_TRACE
    if (inst->vcd && (!inst->dumped || timePs > inst->lastDump)) {
        inst->vcd->dump(timePs);
        inst->lastDump = timePs;
        inst->dumped = true;
    }
#endif
}

void* discard(std::unique_ptr<Instance>& inst) {
    inst.reset();  // while the thread's context is still this instance's
    current = nullptr;
    Verilated::threadContextp(nullptr);
    return nullptr;
}

void* create(const char* tracePath, char* err, size_t errlen) {
    auto inst = std::make_unique<Instance>();
    enter(inst.get());
    inst->context.fatalOnError(false);
    inst->top = std::make_unique<Vtop>(&inst->context, "top");
#if VM_TRACE
    if (tracePath) {
        inst->context.traceEverOn(true);
        inst->vcd = std::make_unique<VerilatedVcdC>();
        inst->top->trace(inst->vcd.get(), 99);
        inst->vcd->open(tracePath);
        if (!inst->vcd->isOpen()) {
            std::snprintf(err, errlen, "cannot open waveform file %s", tracePath);
            return discard(inst);
        }
    }
#else
    if (tracePath) {
        std::snprintf(err, errlen, "model built without waveform support");
        return discard(inst);
    }
#endif
    // One evaluation with every input (clocks included) low, so the first rising edge is seen.
    enter(inst.get());
    evaluate(inst.get(), 0);
#if VM_TRACE
    if (inst->vcd) inst->vcd->flush();
#endif
    current = nullptr;
    return inst.release();
}

void destroy(void* p) {
    auto* inst = static_cast<Instance*>(p);
    enter(inst);
    inst->top->final();
#if VM_TRACE
    if (inst->vcd) inst->vcd->close();
#endif
    delete inst;
    current = nullptr;
    Verilated::threadContextp(nullptr);  // never leave it pointing at the deleted context
}

void* port(void* p, int index) {
    Vtop& top = *static_cast<Instance*>(p)->top;
    int i = 0;
#define JNIC_PORT(name, output, width) \
    if (index == i++) return storage(top.name);
#include "jnic_ports.inc"
#undef JNIC_PORT
    return nullptr;
}

void enterInstance(void* p) { enter(static_cast<Instance*>(p)); }
void eval(void* p, uint64_t timePs) { evaluate(static_cast<Instance*>(p), timePs); }
const int* status(void* p) { return &static_cast<Instance*>(p)->status; }
const char* message(void* p) { return static_cast<Instance*>(p)->message.c_str(); }

const char* output(void* p, size_t* len) {
    auto* inst = static_cast<Instance*>(p);
    *len = inst->output.size();
    return inst->output.data();
}

void clearOutput(void* p) { static_cast<Instance*>(p)->output.clear(); }

void flush(void* p) {
#if VM_TRACE
    auto* inst = static_cast<Instance*>(p);
    if (inst->vcd) inst->vcd->flush();
#else
    (void)p;
#endif
}

// The last complete line the design printed, to explain a $stop or $fatal.
std::string lastLine(const std::string& text) {
    std::size_t end = text.find_last_not_of('\n');
    if (end == std::string::npos) return "";
    std::size_t start = text.rfind('\n', end);
    return text.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1) + 1);
}

void halt(int status, const char* filename, int linenum, const std::string& what) {
    Verilated::threadContextp()->gotFinish(true);
    Instance* inst = current;
    if (!inst || inst->status != JNIC_RUNNING) return;
    inst->status = status;
    inst->message = what;
    if (filename && filename[0]) inst->message += " at " + std::string(filename) + ":" + std::to_string(linenum);
    std::string said = lastLine(inst->output);
    if (status != JNIC_FINISHED && !said.empty()) inst->message += ": " + said;
}

const jnic_model_api API = {
    JNIC_MODEL_ABI, VM_TRACE, static_cast<int>(sizeof(PORTS) / sizeof(PORTS[0])), PORTS,
    create, destroy, port, enterInstance, eval, status, message, output, clearOutput, flush,
};

}  // namespace

extern "C" const jnic_model_api* jnic_model(void) { return &API; }

// ---- Verilator's user hooks (-DVL_USER_FINISH -DVL_USER_STOP -DVL_USER_FATAL): never exit the JVM.

void vl_finish(const char* filename, int linenum, const char*) { halt(JNIC_FINISHED, filename, linenum, "$finish"); }
void vl_stop(const char* filename, int linenum, const char*) {
    // Verilator turns $fatal (and failed assertions) into a printed "%Error:" line, then a stop.
    bool fatal = current && lastLine(current->output).find("%Error:") != std::string::npos;
    halt(fatal ? JNIC_FATAL : JNIC_STOPPED, filename, linenum, fatal ? "$fatal" : "$stop");
}
void vl_fatal(const char* filename, int linenum, const char*, const char* msg) {
    halt(JNIC_FATAL, filename, linenum, msg ? msg : "fatal error");
}

int jnic_vl_vprintf(const char* format, va_list args) {
    if (!current) return std::vfprintf(stderr, format, args);
    va_list copy;
    va_copy(copy, args);
    char small[256];
    int n = std::vsnprintf(small, sizeof small, format, copy);
    va_end(copy);
    if (n < 0) return n;
    if (static_cast<std::size_t>(n) < sizeof small) {
        current->output.append(small, n);
    } else {
        std::string big(n + 1, '\0');
        std::vsnprintf(&big[0], big.size(), format, args);
        current->output.append(big.data(), n);
    }
    return n;
}

int jnic_vl_printf(const char* format, ...) {
    va_list args;
    va_start(args, format);
    int n = jnic_vl_vprintf(format, args);
    va_end(args);
    return n;
}
