/* compiler.h: attribute shorthands and token helpers the other SDK headers use. */
#ifndef _MV_SDK_LINUX_COMPILER_H
#define _MV_SDK_LINUX_COMPILER_H

#define __used            __attribute__((__used__))
#define __maybe_unused    __attribute__((__unused__))
#define __always_unused   __attribute__((__unused__))
#define __section(s)      __attribute__((__section__(s)))
#define __aligned(n)      __attribute__((__aligned__(n)))
#define __cold            __attribute__((__cold__))
#define __noreturn        __attribute__((__noreturn__))
#define __printf(a, b)    __attribute__((__format__(printf, a, b)))
#define __always_inline   inline __attribute__((__always_inline__))
#define __user            /* a user-space pointer: copy through the kernel's helpers */
#define noinline          __attribute__((__noinline__))
#define likely(x)         __builtin_expect(!!(x), 1)
#define unlikely(x)       __builtin_expect(!!(x), 0)

#define ___PASTE(a, b)    a##b
#define __PASTE(a, b)     ___PASTE(a, b)
/* A file-unique identifier starting with __UNIQUE_ID_prefix. */
#define __UNIQUE_ID(prefix) __PASTE(__PASTE(__UNIQUE_ID_, prefix), __COUNTER__)

#define __stringify_1(x...) #x
#define __stringify(x...)   __stringify_1(x)

#endif
