/*
 * The C ABI between the fixed JNI shim (libjnic_sim.so) and one verilated design (model.so).
 * Each model library exports jnic_model(); the shim dlopens it with RTLD_LOCAL, so several
 * designs (and several instances of one design) live in one JVM without symbol clashes.
 */
#ifndef JNIC_MODEL_H
#define JNIC_MODEL_H

#include <stddef.h>
#include <stdint.h>

#define JNIC_MODEL_ABI 1

/* What the design asked for: written by $finish / $stop / $fatal (and Verilator's runtime errors). */
enum { JNIC_RUNNING = 0, JNIC_FINISHED = 1, JNIC_STOPPED = 2, JNIC_FATAL = 3 };

typedef struct jnic_port_info {
    const char* name;
    int output; /* 1 for an output of the design, 0 for an input */
    int width;  /* bits; storage is uint8/16/32/64 up to 64 bits, else little-endian uint32 words */
} jnic_port_info;

typedef struct jnic_model_api {
    int abi;    /* JNIC_MODEL_ABI */
    int traced; /* compiled with waveform support */
    int nports;
    const jnic_port_info* ports; /* in the order of the design's port list */

    /* A new instance, evaluated once with every input at zero. trace_path NULL: no waveform.
       Returns NULL and fills err on failure. */
    void* (*create)(const char* trace_path, char* err, size_t errlen);
    void (*destroy)(void* inst);
    void* (*port)(void* inst, int index);
    /* Makes inst the calling thread's current instance (for Verilator's runtime, $finish, $display):
       call before a batch of evals on this thread. */
    void (*enter)(void* inst);
    /* Evaluates at time_ps (dumping the waveform when tracing). */
    void (*eval)(void* inst, uint64_t time_ps);
    const int* (*status)(void* inst);    /* JNIC_* of this instance; stable address */
    const char* (*message)(void* inst);  /* why the status is not JNIC_RUNNING */
    /* Text the design printed ($display...) since the last clear. */
    const char* (*output)(void* inst, size_t* len);
    void (*clear_output)(void* inst);
    void (*flush)(void* inst); /* pushes buffered waveform data to the file */
} jnic_model_api;

#ifdef __cplusplus
extern "C"
#endif
    const jnic_model_api*
    jnic_model(void);

#endif
