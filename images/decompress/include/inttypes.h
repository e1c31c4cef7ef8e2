/* inttypes.h: lzma.h only needs the <stdint.h> types and macros, which the compiler provides. */
#ifndef MV_MDC_INTTYPES_H
#define MV_MDC_INTTYPES_H
#include <stdint.h>
#endif
