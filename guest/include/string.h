/* string.h: the freestanding memory and string helpers of guest/lib/string.c. */
#ifndef MV_GUEST_STRING_H
#define MV_GUEST_STRING_H

#include <stddef.h>

/* The usual C semantics; memcpy's buffers must not overlap (memmove's may). */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);

/*
 * strscpy(dst, src, size): copy src into dst[size] and always NUL-terminate
 * (size > 0).  Returns the length copied, or -E2BIG when src was truncated,
 * as Linux's strscpy does.
 */
long strscpy(char *dst, const char *src, size_t size);

#endif
