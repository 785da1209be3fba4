/*
 * The fixed JNI half of the harness (libjnic_sim.so), built once per JDK and shim source.
 * It dlopens each design's model.so (RTLD_LOCAL), owns the time-ordered clock schedule and the
 * bus models, and runs whole batches of edges per JNI call.
 */
#include <dlfcn.h>
#include <jni.h>

#include <climits>
#include <memory>
#include <string>
#include <vector>

#include "bus_model.h"
#include "jnic_model.h"

namespace jnic {

ModelKind* kinds = nullptr;
ModelKind::ModelKind(const char* n, ModelFactory f) : name(n), create(f), next(kinds) { kinds = this; }
ModelKind* ModelKind::find(const std::string& name) {
    for (ModelKind* k = kinds; k; k = k->next)
        if (name == k->name) return k;
    return nullptr;
}

namespace {

struct Clock {
    int port;
    uint8_t* pin;  // a 1-bit input: Verilator stores it in a byte
    uint64_t high, low;  // ps spent at each level
    uint64_t next;       // time of the next edge
    bool level = false;
    uint64_t rises = 0;
    std::vector<BusModel*> models;
};

// Why run() returned; Java mirrors these values in Native.
enum RunResult { DONE = 0, CONDITION = 1, HALTED = 2, MODEL_STOP = 3 };

struct Sim {
    void* library = nullptr;
    const jnic_model_api* api = nullptr;
    void* inst = nullptr;
    const int* status = nullptr;
    std::vector<PortRef> ports;
    std::vector<Clock> clocks;
    std::vector<std::unique_ptr<BusModel>> models;
    uint64_t time = 0;
    bool dirty = false;  // inputs poked since the last eval
    bool stop = false;   // a bus model asked the run to end (BusModel::requestStop)

    ~Sim() {
        models.clear();
        if (inst) api->destroy(inst);
        if (library) dlclose(library);
    }
    // A single evaluation outside a batch (a peek after pokes).
    void evalNow() {
        api->enter(inst);
        api->eval(inst, time);
        dirty = false;
    }
};

Sim* sim(jlong h) { return reinterpret_cast<Sim*>(h); }

void throwSim(JNIEnv* env, const std::string& message) {
    jclass c = env->FindClass("io/github/jnic/testbench/sim/SimulationException");
    if (c) env->ThrowNew(c, message.c_str());
}

}  // namespace
}  // namespace jnic

using namespace jnic;

#define JNIC_FN(ret, name) extern "C" JNIEXPORT ret JNICALL Java_io_github_jnic_testbench_sim_Native_##name

JNIC_FN(jlong, open)(JNIEnv* env, jclass, jstring jpath, jstring jtrace) {
    const char* path = env->GetStringUTFChars(jpath, nullptr);
    std::string libraryPath = path;
    env->ReleaseStringUTFChars(jpath, path);
    std::string trace;
    if (jtrace) {
        const char* t = env->GetStringUTFChars(jtrace, nullptr);
        trace = t;
        env->ReleaseStringUTFChars(jtrace, t);
    }
    auto s = std::make_unique<Sim>();
    s->library = dlopen(libraryPath.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!s->library) {
        throwSim(env, std::string("cannot load model: ") + dlerror());
        return 0;
    }
    auto entry = reinterpret_cast<const jnic_model_api* (*)()>(dlsym(s->library, "jnic_model"));
    if (!entry || entry()->abi != JNIC_MODEL_ABI) {
        throwSim(env, "not a jnic model (or built for another ABI): " + libraryPath);
        return 0;
    }
    s->api = entry();
    char err[512] = "";
    s->inst = s->api->create(jtrace ? trace.c_str() : nullptr, err, sizeof err);
    if (!s->inst) {
        throwSim(env, err);
        return 0;
    }
    s->status = s->api->status(s->inst);
    for (int i = 0; i < s->api->nports; i++) s->ports.emplace_back(s->api->port(s->inst, i), s->api->ports[i].width);
    return reinterpret_cast<jlong>(s.release());
}

JNIC_FN(void, close)(JNIEnv*, jclass, jlong h) { delete sim(h); }

JNIC_FN(jlong, peek)(JNIEnv*, jclass, jlong h, jint port) {
    Sim* s = sim(h);
    if (s->dirty) s->evalNow();
    return static_cast<jlong>(s->ports[port].get());
}

JNIC_FN(void, poke)(JNIEnv*, jclass, jlong h, jint port, jlong value) {
    Sim* s = sim(h);
    s->ports[port].set(static_cast<uint64_t>(value));
    s->dirty = true;
}

JNIC_FN(void, peekWords)(JNIEnv* env, jclass, jlong h, jint port, jintArray out) {
    Sim* s = sim(h);
    if (s->dirty) s->evalNow();
    std::vector<uint32_t> words(s->ports[port].words() + 1);
    s->ports[port].getWords(words.data());
    env->SetIntArrayRegion(out, 0, s->ports[port].words(), reinterpret_cast<const jint*>(words.data()));
}

JNIC_FN(void, pokeWords)(JNIEnv* env, jclass, jlong h, jint port, jintArray in) {
    Sim* s = sim(h);
    std::vector<uint32_t> words(s->ports[port].words() + 1);
    env->GetIntArrayRegion(in, 0, s->ports[port].words(), reinterpret_cast<jint*>(words.data()));
    s->ports[port].setWords(words.data());
    s->dirty = true;
}

// Adds a clock on a port (starting low, first rising edge after the low half), or changes its period
// (from its next edge on; a clock that has not risen yet starts over as if added now).
JNIC_FN(jint, clock)(JNIEnv*, jclass, jlong h, jint port, jlong periodPs) {
    Sim* s = sim(h);
    uint64_t high = static_cast<uint64_t>(periodPs) / 2, low = static_cast<uint64_t>(periodPs) - high;
    for (std::size_t i = 0; i < s->clocks.size(); i++) {
        Clock& c = s->clocks[i];
        if (c.port == port) {
            c.high = high;
            c.low = low;
            if (c.rises == 0 && !c.level) c.next = s->time + low;  // not started: as if added now
            return static_cast<jint>(i);
        }
    }
    Clock c{port, static_cast<uint8_t*>(s->api->port(s->inst, port)), high, low, s->time + low};
    *c.pin = 0;
    s->clocks.push_back(c);
    s->dirty = true;
    return static_cast<jint>(s->clocks.size() - 1);
}

/*
 * run() for the common case of one clock, no bus models and no waveform: the same steps with
 * everything the general loop looks up per edge held in locals.
 */
static int runOneClock(Sim* s, uint64_t until, bool watch, uint64_t wanted, PortRef cond, uint64_t condMask,
                       uint64_t condValue, bool condEqual) {
    Clock& c = s->clocks[0];
    const uint64_t high = c.high, low = c.low;
    void (*const eval)(void*, uint64_t) = s->api->eval;
    void* const inst = s->inst;
    const int* const status = s->status;
    uint8_t* const pin = c.pin;
    uint64_t next = c.next, now = s->time, risen = 0, rises = c.rises;
    bool level = c.level;
    int result = DONE;
    s->dirty = false;
    for (;;) {
        if (next > until) {
            if (until > now) now = until;
            break;
        }
        const uint64_t t = next;
        now = t;
        level = !level;
        *pin = level;
        next += level ? high : low;
        eval(inst, t);
        if (*status != JNIC_RUNNING) {
            result = HALTED;
            break;
        }
        if (level) {
            rises++;
            if (!watch) continue;
            if (cond.valid() && ((cond.get() & condMask) == condValue) == condEqual) {
                result = CONDITION;
                break;
            }
            if (++risen >= wanted) break;
        }
    }
    s->time = now;
    c.rises = rises;
    c.next = next;
    c.level = level;
    return result;
}

/*
 * Runs edges in time order until: time reaches untilPs; or `clock` has risen `rises` times; or,
 * with condPort >= 0, right after a rising edge of `clock`, (port & mask) == value is `equal`;
 * or the design halts ($finish, $stop, $fatal); or a bus model requests a stop. Returns a RunResult.
 * This is the harness's only hot loop: per edge it costs a few loads and compares besides eval().
 */
JNIC_FN(jint, run)(JNIEnv*, jclass, jlong h, jlong untilPs, jint clock, jlong rises, jint condPort, jlong mask,
                   jlong value, jboolean equal) {
    Sim* s = sim(h);
    if (*s->status != JNIC_RUNNING) return HALTED;
    if (s->clocks.empty()) {
        if (untilPs != INT64_MAX && static_cast<uint64_t>(untilPs) > s->time) s->time = untilPs;
        return DONE;
    }
    const jnic_model_api* const api = s->api;
    void* const inst = s->inst;
    const int* const status = s->status;
    api->enter(inst);
    const uint64_t until = static_cast<uint64_t>(untilPs);
    const uint64_t wanted = rises;
    const PortRef cond = condPort >= 0 ? s->ports[condPort] : PortRef();
    const uint64_t condMask = mask, condValue = value;
    const bool condEqual = equal;
    const std::size_t n = s->clocks.size();
    Clock* const clocks = s->clocks.data();
    const uint64_t watched = clock >= 0 ? uint64_t{1} << clock : 0;
    bool models = false;
    for (std::size_t i = 0; i < n; i++) models |= !clocks[i].models.empty();
    const bool traced = api->traced;
    if (n == 1 && !models && !traced)
        return runOneClock(s, until, clock == 0, wanted, cond, condMask, condValue, condEqual);
    uint64_t risen = 0;
    unsigned sinceFlush = 0;
    int result = DONE;
    for (;;) {
        uint64_t t = clocks[0].next;
        for (std::size_t i = 1; i < n; i++)
            if (clocks[i].next < t) t = clocks[i].next;
        if (t > until) {
            if (until > s->time) s->time = until;
            break;
        }
        s->time = t;
        uint64_t edging = 0;  // bit i: clock i has an edge now
        for (std::size_t i = 0; i < n; i++) {
            Clock& c = clocks[i];
            if (c.next != t) continue;
            edging |= uint64_t{1} << i;
            if (models)
                for (BusModel* m : c.models) m->before(!c.level);
            c.level = !c.level;
            *c.pin = c.level;
            c.next += c.level ? c.high : c.low;
            c.rises += c.level;
        }
        api->eval(inst, t);
        s->dirty = false;
        if (*status != JNIC_RUNNING) {
            result = HALTED;
            break;
        }
        if (models) {
            for (std::size_t i = 0; i < n; i++)
                if (edging >> i & 1)
                    for (BusModel* m : clocks[i].models) m->after(clocks[i].level);
            s->dirty = true;
            if (s->stop) {
                s->stop = false;
                result = MODEL_STOP;
                break;
            }
        }
        if ((edging & watched) && clocks[clock].level) {
            if (cond.valid() && ((cond.get() & condMask) == condValue) == condEqual) {
                result = CONDITION;
                break;
            }
            if (++risen >= wanted) break;
        }
        if (traced && ++sinceFlush == 1u << 16) {
            api->flush(inst);
            sinceFlush = 0;
        }
    }
    if (traced) api->flush(inst);
    return result;
}

JNIC_FN(jlong, time)(JNIEnv*, jclass, jlong h) { return static_cast<jlong>(sim(h)->time); }
JNIC_FN(jlong, rises)(JNIEnv*, jclass, jlong h, jint clock) { return static_cast<jlong>(sim(h)->clocks[clock].rises); }
JNIC_FN(jint, status)(JNIEnv*, jclass, jlong h) { return *sim(h)->status; }
JNIC_FN(jstring, message)(JNIEnv* env, jclass, jlong h) {
    Sim* s = sim(h);
    return env->NewStringUTF(s->api->message(s->inst));
}

// What the design printed since the last call, or null.
JNIC_FN(jstring, takeOutput)(JNIEnv* env, jclass, jlong h) {
    Sim* s = sim(h);
    size_t len = 0;
    const char* text = s->api->output(s->inst, &len);
    if (len == 0) return nullptr;
    jstring out = env->NewStringUTF(std::string(text, len).c_str());
    s->api->clear_output(s->inst);
    return out;
}

JNIC_FN(jlong, attach)(JNIEnv* env, jclass, jlong h, jstring jkind, jint clock, jintArray jports,
                       jlongArray jparams) {
    Sim* s = sim(h);
    const char* k = env->GetStringUTFChars(jkind, nullptr);
    std::string kind = k;
    env->ReleaseStringUTFChars(jkind, k);
    ModelKind* factory = ModelKind::find(kind);
    if (!factory) {
        throwSim(env, "no native model named '" + kind + "'");
        return 0;
    }
    ModelConfig config;
    std::vector<jint> ports(env->GetArrayLength(jports));
    env->GetIntArrayRegion(jports, 0, ports.size(), ports.data());
    for (jint p : ports) config.ports.push_back(p >= 0 ? s->ports[p] : PortRef());
    config.params.resize(env->GetArrayLength(jparams));
    env->GetLongArrayRegion(jparams, 0, config.params.size(), reinterpret_cast<jlong*>(config.params.data()));
    std::string error;
    BusModel* model = factory->create(config, error);
    if (!model) {
        throwSim(env, kind + ": " + error);
        return 0;
    }
    model->stop_ = &s->stop;
    s->models.emplace_back(model);
    s->clocks[clock].models.push_back(model);
    s->dirty = true;
    return reinterpret_cast<jlong>(model);
}

JNIC_FN(jboolean, put)(JNIEnv* env, jclass, jlong model, jobject buffer, jint len) {
    auto* data = static_cast<const uint8_t*>(env->GetDirectBufferAddress(buffer));
    return reinterpret_cast<BusModel*>(model)->put(data, static_cast<size_t>(len));
}

JNIC_FN(jint, take)(JNIEnv* env, jclass, jlong model, jobject buffer) {
    auto* data = static_cast<uint8_t*>(env->GetDirectBufferAddress(buffer));
    size_t cap = static_cast<size_t>(env->GetDirectBufferCapacity(buffer));
    return static_cast<jint>(reinterpret_cast<BusModel*>(model)->take(data, cap));
}

// The native address of a direct buffer (a memory a model serves from, shared with Java).
JNIC_FN(jlong, address)(JNIEnv* env, jclass, jobject buffer) {
    return reinterpret_cast<jlong>(env->GetDirectBufferAddress(buffer));
}

JNIC_FN(jlong, query)(JNIEnv*, jclass, jlong model, jint what) {
    return reinterpret_cast<BusModel*>(model)->query(what);
}
