/* Forced into every compile of a model and of Verilator's runtime (-include): Verilog output goes
   to the instance being evaluated instead of the process's stdout, which the JVM does not own. */
#ifndef JNIC_VL_HOOKS_H
#define JNIC_VL_HOOKS_H
#include <cstdarg>
int jnic_vl_printf(const char* format, ...);
int jnic_vl_vprintf(const char* format, va_list args);
#endif
