/* string.h: the memory and string functions the guest kernel exports to modules. */
#ifndef _MV_SDK_LINUX_STRING_H
#define _MV_SDK_LINUX_STRING_H

#include <linux/types.h>

/* The usual C semantics; memcpy()'s buffers must not overlap, memmove()'s may. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
/*
 * strscpy(dst, src, size): copy src into dst[size], always NUL-terminated
 * when size > 0.  Returns the length copied, or -E2BIG when src was cut.
 */
ssize_t strscpy(char *dst, const char *src, size_t size);

#endif
