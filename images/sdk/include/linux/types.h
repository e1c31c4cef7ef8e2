/* types.h: the kernel's fixed-width and size types for module code. */
#ifndef _MV_SDK_LINUX_TYPES_H
#define _MV_SDK_LINUX_TYPES_H

/* GCC's freestanding headers only: modules build with -nostdinc. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t   u8;
typedef uint16_t  u16;
typedef uint32_t  u32;
typedef uint64_t  u64;
typedef int8_t    s8;
typedef int16_t   s16;
typedef int32_t   s32;
typedef int64_t   s64;
typedef long      ssize_t;
typedef unsigned int gfp_t;

/*
 * bool is a typedef, not <stdbool.h>'s macro: module_param(x, bool, ...)
 * pastes the word "bool" into param_ops_bool, which a macro would spoil.
 */
typedef _Bool bool;
enum { false = 0, true = 1 };

#endif
