/* memslot.c: split guest RAM's KVM slot around read-only ranges, and merge them back. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include "memslot.h"

#define MS_PAGE 4096u

static int memslots_ioctl(int vm_fd, const struct kvm_userspace_memory_region *r)
{
	return ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, r) < 0 ? -errno : 0;
}

int memslots_init(struct memslots *ms, int vm_fd, uint8_t *host, uint64_t size, uint32_t max)
{
	memset(ms, 0, sizeof(*ms));
	ms->r = calloc(1, sizeof(*ms->r));
	if (!ms->r)
		return -ENOMEM;
	ms->vm_fd = vm_fd;
	ms->host = host;
	ms->size = size;
	ms->max = max ? max : 1;
	ms->r[0] = (struct memslot_range){ .gpa = 0, .len = size, .ro = false, .slot = 0 };
	ms->n = 1;
	ms->set = memslots_ioctl;
	return 0;
}

/* Append [gpa, gpa+len) of kind ro to out, merging it into the last range when alike. */
static void memslots_push(struct memslot_range *out, uint32_t *n, uint64_t gpa, uint64_t len,
			  bool ro)
{
	if (len == 0)
		return;
	if (*n && out[*n - 1].ro == ro && out[*n - 1].gpa + out[*n - 1].len == gpa) {
		out[*n - 1].len += len;
		return;
	}
	out[(*n)++] = (struct memslot_range){ .gpa = gpa, .len = len, .ro = ro, .slot = UINT32_MAX };
}

int memslots_plan(const struct memslots *ms, uint64_t gpa, uint64_t len, bool ro,
		  struct memslot_range **out, uint32_t *nout)
{
	uint64_t end = gpa + len;
	struct memslot_range *v = calloc(ms->n + 2, sizeof(*v));
	uint32_t n = 0;

	if (!v)
		return -ENOMEM;
	for (uint32_t i = 0; i < ms->n; i++) {
		const struct memslot_range *r = &ms->r[i];
		uint64_t rend = r->gpa + r->len;
		uint64_t a = r->gpa > gpa ? r->gpa : gpa, b = rend < end ? rend : end;

		if (a >= b) {           /* no overlap: the range as it is */
			memslots_push(v, &n, r->gpa, r->len, r->ro);
			continue;
		}
		memslots_push(v, &n, r->gpa, a - r->gpa, r->ro);
		memslots_push(v, &n, a, b - a, ro);
		memslots_push(v, &n, b, rend - b, r->ro);
	}
	*out = v;
	*nout = n;
	return 0;
}

/* The old range identical to r (same place and kind), or NULL. */
static const struct memslot_range *memslots_same(const struct memslot_range *old, uint32_t n,
						 const struct memslot_range *r)
{
	for (uint32_t i = 0; i < n; i++)
		if (old[i].gpa == r->gpa && old[i].len == r->len && old[i].ro == r->ro)
			return &old[i];
	return NULL;
}

/* One slot: add (len > 0) or delete (len 0). */
static int memslots_apply(struct memslots *ms, const struct memslot_range *r, bool add)
{
	struct kvm_userspace_memory_region k = {
		.slot = r->slot, .flags = r->ro ? KVM_MEM_READONLY : 0,
		.guest_phys_addr = r->gpa, .memory_size = add ? r->len : 0,
		.userspace_addr = (uint64_t)(uintptr_t)(ms->host + r->gpa),
	};

	ms->ioctls++;
	return ms->set(ms->vm_fd, &k);
}

/* A slot id that no range in v[0..n) uses. */
static uint32_t memslots_free_id(const struct memslot_range *v, uint32_t n)
{
	for (uint32_t id = 0;; id++) {
		uint32_t i;

		for (i = 0; i < n && v[i].slot != id; i++)
			;
		if (i == n)
			return id;
	}
}

/*
 * Delete the old slots that change, then add the new ones (KVM refuses
 * overlapping slots).  On a failed add, the new slots go and the old come
 * back, so the guest never sees a hole or a half-made change.
 */
static int memslots_switch(struct memslots *ms, struct memslot_range *v, uint32_t n)
{
	uint32_t i, j;
	int ret = 0;

	for (i = 0; i < n; i++) {
		const struct memslot_range *same = memslots_same(ms->r, ms->n, &v[i]);
		v[i].slot = same ? same->slot : UINT32_MAX;
	}
	for (i = 0; i < ms->n; i++)
		if (!memslots_same(v, n, &ms->r[i]))
			memslots_apply(ms, &ms->r[i], false);
	for (i = 0; i < n && ret == 0; i++) {
		if (v[i].slot != UINT32_MAX)
			continue;
		v[i].slot = memslots_free_id(v, n);
		ret = memslots_apply(ms, &v[i], true);
		if (ret)
			v[i].slot = UINT32_MAX;
	}
	if (ret == 0)
		return 0;
	for (j = 0; j < n; j++)
		if (v[j].slot != UINT32_MAX && !memslots_same(ms->r, ms->n, &v[j]))
			memslots_apply(ms, &v[j], false);
	for (j = 0; j < ms->n; j++)
		if (!memslots_same(v, n, &ms->r[j]))
			memslots_apply(ms, &ms->r[j], true);
	return ret;
}

int memslots_set_ro(struct memslots *ms, uint64_t gpa, uint64_t len, bool ro)
{
	struct memslot_range *v;
	uint64_t end;
	uint32_t n;
	int ret;

	if (gpa % MS_PAGE || len % MS_PAGE || len == 0 ||
	    __builtin_add_overflow(gpa, len, &end) || end > ms->size)
		return -EINVAL;
	ret = memslots_plan(ms, gpa, len, ro, &v, &n);
	if (ret)
		return ret;
	if (n > ms->max) {
		free(v);
		return -ENOSPC;
	}
	ret = memslots_switch(ms, v, n);
	if (ret) {
		free(v);
		return ret;
	}
	free(ms->r);
	ms->r = v;
	ms->n = n;
	return 0;
}

bool memslots_ro_at(const struct memslots *ms, uint64_t gpa)
{
	uint32_t lo = 0, hi = ms->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct memslot_range *r = &ms->r[mid];

		if (gpa < r->gpa)
			hi = mid;
		else if (gpa - r->gpa >= r->len)
			lo = mid + 1;
		else
			return r->ro;
	}
	return false;
}

uint32_t memslots_count(const struct memslots *ms, bool ro)
{
	uint32_t c = 0;

	for (uint32_t i = 0; i < ms->n; i++)
		c += ms->r[i].ro == ro;
	return c;
}

void memslots_free(struct memslots *ms)
{
	free(ms->r);
	ms->r = NULL;
	ms->n = 0;
}
