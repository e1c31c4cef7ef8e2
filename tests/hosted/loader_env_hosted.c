/* loader_env_hosted.c: the module loader's environment on the host: malloc, fake exports, scripted host. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "loader_env_hosted.h"

struct hosted_env henv;

void hosted_env_reset(void)
{
	memset(&henv, 0, sizeof(henv));
	henv.verdict.allow = true;
	henv.verdict.load_id = 1;
	henv.quiet = getenv("LOADER_VERBOSE") == NULL;
}

bool hosted_log_has(const char *needle)
{
	return strstr(henv.log, needle) != NULL;
}

static bool alloc_fails(void)
{
	henv.allocs++;
	return henv.fail_alloc_at && henv.allocs == henv.fail_alloc_at;
}

int modenv_region_alloc(uint64_t size, struct mod_region *r)
{
	/* The guest's module area holds 256 MiB (env_kernel.c): no more here either. */
	if (size == 0 || size % MOD_PAGE_SIZE || size > (256ull << 20) || alloc_fails())
		return -ENOMEM;
	r->buf = aligned_alloc(MOD_PAGE_SIZE, size);
	if (!r->buf)
		return -ENOMEM;
	memset(r->buf, 0, size);
	r->size = size;
	if (henv.identity) {
		r->va = (uint64_t)(uintptr_t)r->buf;
	} else {
		/* One guard page between regions, as a page-granular allocator. */
		r->va = HOSTED_MODULES_VADDR + henv.next_va;
		henv.next_va += size + MOD_PAGE_SIZE;
	}
	henv.live_regions++;
	return 0;
}

void hosted_env_release_kept(void)
{
	for (int i = 0; i < henv.nkept; i++)
		free(henv.kept[i].buf);
	henv.nkept = 0;
}

void modenv_region_free(struct mod_region *r)
{
	if (henv.keep_freed && henv.nkept < (int)(sizeof(henv.kept) / sizeof(henv.kept[0])))
		henv.kept[henv.nkept++] = *r;
	else
		free(r->buf);
	r->buf = NULL;
	henv.live_regions--;
}

void modenv_region_protect(const struct mod_region *r, uint64_t off, uint64_t len,
			   unsigned prot)
{
	if (henv.nprot < (int)(sizeof(henv.prot) / sizeof(henv.prot[0]))) {
		henv.prot[henv.nprot].va = r->va + off;
		henv.prot[henv.nprot].len = len;
		henv.prot[henv.nprot].prot = prot;
	}
	henv.nprot++;
}

void *modenv_malloc(size_t n)
{
	void *p;

	if (alloc_fails())
		return NULL;
	p = calloc(1, n ? n : 1);
	if (p)
		henv.live_blocks++;
	return p;
}

void modenv_free(void *p)
{
	if (p)
		henv.live_blocks--;
	free(p);
}

int modenv_strndup_user(uint64_t uaddr, char **out)
{
	const char *s = (const char *)(uintptr_t)uaddr;
	size_t n;

	if (!s || uaddr == henv.bad_uaddr)
		return -EFAULT;
	n = strlen(s) + 1;
	*out = modenv_malloc(n);
	if (!*out)
		return -ENOMEM;
	memcpy(*out, s, n);
	henv.strndup_calls++;
	return 0;
}

bool modenv_kernel_export(const char *name, struct mod_kexport *out)
{
	for (size_t i = 0; i < henv.nexports; i++) {
		if (strcmp(henv.exports[i].name, name) == 0) {
			out->value = henv.exports[i].value;
			out->crc = henv.exports[i].crc;
			out->gpl_only = henv.exports[i].gpl_only;
			return true;
		}
	}
	return false;
}

void modenv_log(const char *fmt, ...)
{
	size_t used = strlen(henv.log);
	va_list ap;

	va_start(ap, fmt);
	if (!henv.quiet) {
		va_list ap2;

		va_copy(ap2, ap);
		vfprintf(stderr, fmt, ap2);
		fputc('\n', stderr);
		va_end(ap2);
	}
	if (used + 2 < sizeof(henv.log)) {
		vsnprintf(henv.log + used, sizeof(henv.log) - used - 1, fmt, ap);
		strcat(henv.log, "\n");
	}
	va_end(ap);
}

int modenv_host_verdict(const struct mod_verdict_req *req, struct mod_verdict *v)
{
	(void)req;
	henv.verdict_calls++;
	*v = henv.verdict;
	return 0;
}

void modenv_host_event(const struct mod_event *ev)
{
	henv.events++;
	henv.last_event = *ev;
	snprintf(henv.last_event_name, sizeof(henv.last_event_name), "%s", ev->name);
	henv.last_event.name = henv.last_event_name;
}

int modenv_host_seal(const struct mod_seal_req *req, char *reason, size_t n)
{
	henv.seals++;
	henv.seal_nsecs = req->nsecs;
	henv.seal_nsyms = req->nsyms;
	henv.seal_core = req->core;
	if (henv.seal_ret < 0)
		snprintf(reason, n, "scripted refusal");
	return henv.seal_ret;
}

void modenv_host_unseal(uint32_t load_id)
{
	(void)load_id;
	henv.unseals++;
	henv.events_at_unseal = henv.events;
	henv.live_regions_at_unseal = henv.live_regions;
}

int modenv_call_init(uint64_t fn, struct mod_fault *fault)
{
	henv.init_calls++;
	if (henv.init_faults) {
		fault->faulted = true;
		fault->vector = 14;
		fault->rip = fn;
		return -EFAULT;
	}
	if (henv.real_calls)
		return ((int (*)(void))(uintptr_t)fn)();
	if (henv.init_hook)
		return henv.init_hook();
	return henv.init_ret;
}

void modenv_call_exit(uint64_t fn, struct mod_fault *fault)
{
	(void)fault;
	henv.exit_calls++;
	if (henv.real_calls)
		((void (*)(void))(uintptr_t)fn)();
}

uint64_t modenv_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
